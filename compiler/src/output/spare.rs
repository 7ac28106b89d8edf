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
        start_writeback(&file);
        Ok(Spare { path, file, code })
    }

    /// Turns the spare into `code` followed by `trailer`: writes the pieces from the first
    /// the two differ in on, and the trailer, and cuts what is left of the old contents.
    /// When the old code and the new are as long as each other, the pieces they end with
    /// in common are where they belong already and are not written: an edit that keeps a
    /// module's length (a digit or a string of the same length) writes that module's piece
    /// rather than everything after it (on three.js x10, most of 13 MB for an edit in the
    /// middle). Returns the file and how many bytes of code were left as they were.
    pub(super) fn rewrite(mut self, code: &Code, trailer: &str) -> io::Result<(File, usize)> {
        let (first, prefix) = self.code.shared_prefix(code);
        let length = code.len();
        let (last, suffix) = match self.code.len() == length {
            true => {
                let (pieces, bytes) = self.code.shared_suffix(code, first);
                (code.pieces().len() - pieces, bytes)
            }
            false => (code.pieces().len(), 0),
        };
        self.file.seek(SeekFrom::Start(prefix as u64))?;
        code.write_vectored_range(first..last, &mut self.file)?;
        self.file.seek(SeekFrom::Start(length as u64))?;
        self.file.write_all(trailer.as_bytes())?;
        // Cut only what is left of longer contents: Linux updates the inode (its times)
        // on a truncation to the same length too, one more change for the journal.
        let end = (length + trailer.len()) as u64;
        if self.file.metadata()?.len() != end {
            self.file.set_len(end)?;
        }
        Ok((self.file, prefix + suffix))
    }
}

/// Starts writing `file`'s pages to disk, without waiting for them. On ext4, renaming a
/// file over another starts writing back the renamed file's pages whose blocks are not yet
/// allocated (so that a crash leaves the old file or the new one, not an empty one): with
/// the 13 MB a spare of three.js x10 holds still dirty, that was most of a rebuild's write
/// (the rename 0.8-1.1 ms, `strace -T`). Started here, on the background thread that
/// made the spare, the rename is left the few pages the rebuild wrote. Only a hint: when it
/// fails nothing is lost.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File) {
    use std::os::unix::io::AsRawFd as _;
    // SAFETY: `sync_file_range` reads and writes no memory of this process; the descriptor
    // stays open while `file` is borrowed.
    #[allow(unsafe_code)]
    let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File) {}

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

    /// A spare rewritten to code as long as the code it holds keeps the pieces the two
    /// begin and end with in common (it writes only what lies between) and holds the new
    /// code and trailer, whether the change keeps the pieces or splits one, at the start,
    /// in the middle or at the end.
    #[test]
    fn a_spare_rewritten_to_code_as_long_keeps_the_ends_in_common() {
        let directory = tempfile::tempdir().unwrap();
        let old: Vec<Arc<str>> = ["aaaa\n", "bb\n", "cccccc\n", "dd\n", "eeee\n"]
            .into_iter()
            .map(Arc::from)
            .collect();
        let replaced = |index: usize, with: &[&str]| {
            let mut pieces = old.clone();
            pieces.splice(index..=index, with.iter().map(|&piece| Arc::from(piece)));
            Code::from_pieces(pieces)
        };
        let cases = [
            (replaced(2, &["CCCCCC\n"]), 5 + 3 + 3 + 5),
            (replaced(2, &["ccc", "CCC\n"]), 5 + 3 + 3 + 5),
            (replaced(0, &["AAAA\n"]), 3 + 7 + 3 + 5),
            (replaced(4, &["EE", "EE\n"]), 5 + 3 + 7 + 3),
            (replaced(1, &["bbb"]), 5 + 7 + 3 + 5),
            // One byte longer: everything from the change on is written.
            (replaced(2, &["CCCCCCC\n"]), 5 + 3),
        ];
        for (index, (new, kept)) in cases.into_iter().enumerate() {
            let spare = Spare::write(
                directory.path().join("out.js"),
                directory.path(),
                Code::from_pieces(old.clone()),
                "//# old trailer\n",
            )
            .unwrap();
            let (mut file, kept_now) = spare.rewrite(&new, "//# trailer\n").unwrap();
            let expected = new.pieces().concat() + "//# trailer\n";
            assert_eq!(contents(&mut file), expected, "case {index}");
            assert_eq!(kept_now, kept, "case {index}");
        }
    }
}
