//! Spare copies of the output files, for watch mode: once a rebuild has replaced a file, a
//! background thread writes the same contents again into an unnamed file in its directory,
//! while watch mode waits for the next edit. The next rebuild then writes only from the
//! first piece that changed on, into the spare, and renames it over the file as before
//! (the replacement stays atomic). On three.js x10 an output is 13 MB, and writing it whole
//! was about 6 ms of every rebuild that changed a byte of it, while an edit changes the text
//! of one module somewhere in it.
//!
//! A spare is made with `O_TMPFILE` (Linux): a file with no name, which the kernel frees
//! when the process ends however it ends, so a watch mode killed leaves nothing behind in
//! the output directory. It gets a temporary name only when a rebuild uses it, just before
//! the rename. Where that is not available, rebuilds write whole files.

use std::{
    fs::File,
    io::{self, Seek as _, SeekFrom, Write as _},
    path::{Path, PathBuf},
};

use crate::Code;

/// An unnamed file in `path`'s directory holding `code` and the trailer written after it.
#[derive(Debug)]
pub(super) struct Spare {
    pub(super) path: PathBuf,
    file: File,
    /// What the file holds: `code`, then a trailer, whose bytes the next write rewrites
    /// whatever they are.
    code: Code,
}

impl Spare {
    /// Writes `code` and `trailer` into a new unnamed file in `directory`, as the spare of
    /// `path`. Fails where unnamed files are not supported (then rebuilds write whole files).
    pub(super) fn write(
        path: PathBuf,
        directory: &Path,
        code: Code,
        trailer: &str,
    ) -> io::Result<Spare> {
        let mut file = unnamed_file(directory)?;
        code.write_vectored_to(&mut file)?;
        file.write_all(trailer.as_bytes())?;
        Ok(Spare { path, file, code })
    }

    /// Turns the spare into `code` followed by `trailer`: writes from the first piece the
    /// two differ in on (the trailer at least), and cuts what is left of the old contents.
    /// Returns the file and how many bytes were left as they were.
    pub(super) fn rewrite(mut self, code: &Code, trailer: &str) -> io::Result<(File, usize)> {
        let (pieces, kept) = self.code.shared_prefix(code);
        self.file.seek(SeekFrom::Start(kept as u64))?;
        code.write_vectored_from(pieces, &mut self.file)?;
        self.file.write_all(trailer.as_bytes())?;
        self.file.set_len((code.len() + trailer.len()) as u64)?;
        Ok((self.file, kept))
    }
}

/// A new file with no name in `directory`, open for reading and writing.
#[cfg(target_os = "linux")]
fn unnamed_file(directory: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC;
    let file = rustix::fs::open(directory, flags, Mode::from_bits_truncate(0o666))?;
    Ok(File::from(file))
}

#[cfg(not(target_os = "linux"))]
fn unnamed_file(_directory: &Path) -> io::Result<File> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Gives `file`, made by [`unnamed_file`], the name `name` (a new one, in the directory the
/// file was made in).
#[cfg(target_os = "linux")]
pub(super) fn link(file: &File, name: &Path) -> io::Result<()> {
    use std::os::unix::io::AsRawFd as _;
    // Through `/proc`, following the link: linking the descriptor itself (`AT_EMPTY_PATH`)
    // needs a capability an unprivileged process lacks.
    let source = format!("/proc/self/fd/{}", file.as_raw_fd());
    rustix::fs::linkat(
        rustix::fs::CWD,
        source.as_str(),
        rustix::fs::CWD,
        name,
        rustix::fs::AtFlags::SYMLINK_FOLLOW,
    )?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(super) fn link(_file: &File, _name: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::{io::Read as _, sync::Arc};

    use super::*;

    fn contents(file: &mut File) -> String {
        let mut text = String::new();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.read_to_string(&mut text).unwrap();
        text
    }

    /// A spare rewritten holds the new code and trailer, however they differ from the old.
    #[test]
    fn a_rewritten_spare_holds_the_new_code_and_trailer() {
        let directory = tempfile::tempdir().unwrap();
        let [a, b, c]: [Arc<str>; 3] = ["aaaa\n", "bb\n", "cccccc\n"].map(Arc::from);
        let code = |pieces: &[&Arc<str>]| {
            Code::from_pieces(pieces.iter().map(|piece| Arc::clone(piece)).collect())
        };
        let cases = [
            (code(&[&a, &b]), "//# trailer\n"),
            (code(&[&a, &b]), ""),
            (code(&[&a, &c, &b]), "//# a longer trailer\n"),
            (code(&[&c]), "t"),
            (code(&[]), ""),
        ];
        for (old_code, old_trailer) in &cases {
            for (new_code, new_trailer) in &cases {
                let spare = Spare::write(
                    directory.path().join("out.js"),
                    directory.path(),
                    old_code.clone(),
                    old_trailer,
                )
                .unwrap();
                let (mut file, kept) = spare.rewrite(new_code, new_trailer).unwrap();
                let expected = new_code.pieces().concat() + new_trailer;
                assert_eq!(contents(&mut file), expected);
                assert!(kept <= expected.len());
            }
        }
        // Nothing is named in the directory: the spares have no names.
        assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 0);
    }
}
