//! The `verde` command line.

// Printing to the terminal is what a command line is for.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::{
    io::{IsTerminal as _, Write as _},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

use clap::{Parser, Subcommand, ValueEnum};
use verde::{
    BuildOptions, BuildStats, Compiler, OutputFormat, OutputWriter, metafile::WrittenFile, watch,
};

#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: verde::heap::CountingAllocator = verde::heap::CountingAllocator;

#[derive(Parser, Debug)]
#[command(
    name = "verde",
    version,
    about = "verde: a demand-driven, incremental JavaScript bundler",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Bundle entry modules and everything they import.
    Build(Box<BuildArgs>),
    /// Run the language server on stdin and stdout.
    Lsp,
    /// Inspect or empty the on-disk module cache.
    Cache(CacheArgs),
}

#[derive(clap::Args, Debug)]
struct CacheArgs {
    #[command(subcommand)]
    action: CacheAction,
    /// The cache directory [default: $VERDE_CACHE_DIR, else node_modules/.cache/verde next
    /// to the nearest package.json above the current directory].
    #[arg(long, value_name = "DIR", global = true)]
    cache_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum CacheAction {
    /// Print how many modules the cache holds and its size.
    Stats,
    /// Remove every entry.
    Clean,
}

#[derive(clap::Args, Debug)]
struct BuildArgs {
    /// Entry modules.
    #[arg(required = true, value_name = "ENTRY")]
    entries: Vec<PathBuf>,
    /// Write the bundle to this file (one entry).
    #[arg(long, value_name = "FILE", conflicts_with = "outdir")]
    outfile: Option<PathBuf>,
    /// Write the output into this directory: with `--format esm`, split into chunks (each
    /// entry's file named after it, the code entries share and what `import()` loads in
    /// chunks of their own); with `cjs` or `iife`, one bundle per entry (`cjs` splits with
    /// --splitting).
    #[arg(long, value_name = "DIR")]
    outdir: Option<PathBuf>,
    /// How entries' files are named in --outdir: a path template with [dir] (the entry's
    /// directory under the entries' lowest common ancestor), [name] (its file stem),
    /// [hash] (a content hash) and [ext]; `.js` is appended [default: [name]].
    #[arg(long, value_name = "TEMPLATE", value_parser = parse_entry_names)]
    entry_names: Option<String>,
    /// How the other chunks of a split build are named: as --entry-names, and it must
    /// have [hash] [default: [name]-[hash]].
    #[arg(long, value_name = "TEMPLATE", value_parser = parse_chunk_names)]
    chunk_names: Option<String>,
    /// Split the output into chunks: the default with `--outdir` and `--format esm`; with
    /// `--format cjs`, chunks load each other with `require`.
    #[arg(long)]
    splitting: bool,
    /// Output module format.
    #[arg(long, value_enum, default_value_t = Format::Esm)]
    format: Format,
    /// Leave this import specifier to the runtime (repeatable; comma-separated lists work).
    #[arg(long = "external", value_name = "NAME", value_delimiter = ',')]
    externals: Vec<String>,
    /// Global variable name for `--format iife`.
    #[arg(long, value_name = "GLOBAL")]
    name: Option<String>,
    /// Parse files with this extension with this loader (js, jsx, ts, tsx, json), as in
    /// `--loader .js=jsx` (repeatable).
    #[arg(long = "loader", value_name = "EXT=KIND", value_parser = verde::parse_loader_flag)]
    loaders: Vec<(String, verde::Loader)>,
    /// How JSX is compiled [default: tsconfig's `jsx`, else automatic].
    #[arg(long, value_enum, value_name = "MODE")]
    jsx: Option<JsxArgument>,
    /// The automatic JSX runtime's package [default: tsconfig's `jsxImportSource`, else
    /// react].
    #[arg(long, value_name = "PACKAGE")]
    jsx_import_source: Option<String>,
    /// Compile JSX for the development runtime (`jsxDEV`, with source positions).
    #[arg(long)]
    jsx_dev: bool,
    /// Use this tsconfig.json for every module instead of the nearest one above each.
    #[arg(long, value_name = "FILE")]
    tsconfig: Option<PathBuf>,
    /// The runtime the bundle is for: resolution conditions, and whether node's built-in
    /// modules are external (node) or errors (browser).
    #[arg(long, value_enum, default_value_t = PlatformArgument::Browser)]
    platform: PlatformArgument,
    /// Replace a global (an identifier or member chain) with a constant (JSON, or an
    /// identifier), as in `--define process.env.NODE_ENV='"production"'`; the branches that
    /// makes dead are dropped (repeatable).
    #[arg(long = "define", value_name = "KEY=VALUE", value_parser = parse_define_argument)]
    defines: Vec<(String, String)>,
    /// Minify the output: `--minify-whitespace`, `--minify-identifiers` and
    /// `--minify-syntax`.
    #[arg(long)]
    minify: bool,
    /// Leave out the whitespace and comments the code does not need.
    #[arg(long)]
    minify_whitespace: bool,
    /// Give bindings short names.
    #[arg(long)]
    minify_identifiers: bool,
    /// Where comments that carry a license (`/*!`, `//!`, `@license`, `@preserve`) go:
    /// `eof` (gathered at the end of the bundle, each once), `inline` (where they are), or
    /// `none`.
    #[arg(long, value_name = "WHERE", value_enum, default_value_t = LegalCommentsArgument::Eof)]
    legal_comments: LegalCommentsArgument,
    /// How characters outside ASCII are written: `ascii` (as escapes, so that a browser
    /// reads the bundle right whatever charset it assumes, and engines keep it one byte per
    /// character) or `utf8` (as they are). Comments and tagged templates keep theirs.
    #[arg(long, value_name = "CHARSET", value_enum, default_value_t = CharsetArgument::Ascii)]
    charset: CharsetArgument,
    /// Rewrite code into shorter equivalents (constant folding, dead branches, shorter
    /// syntax), module by module.
    #[arg(long)]
    minify_syntax: bool,
    /// Keep the `.name` of functions and classes when minifying identifiers (without it, a
    /// renamed function's `.name` is its short name, as with esbuild and terser).
    #[arg(long)]
    keep_names: bool,
    /// Write a source map: `linked` (OUT.map, named by a comment at the end of OUT; the
    /// default), `external` or `hidden` (OUT.map, no comment), `inline` (a `data:` URL in
    /// OUT), or `both`.
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "linked",
        value_parser = parse_sourcemap_mode
    )]
    sourcemap: Option<verde::SourceMapMode>,
    /// Whether the source map holds the original texts (`sourcesContent`).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    sources_content: bool,
    /// Rebuild whenever an input changes, until Ctrl-C (one entry with --outfile; any
    /// with a split --outdir).
    #[arg(long)]
    watch: bool,
    /// Worker threads [default: VERDE_THREADS, or every core]. The output does not depend
    /// on it.
    #[arg(long, value_name = "N", value_parser = verde::parse_threads)]
    threads: Option<usize>,
    /// What to print: `info` (the files written and their sizes, warnings, errors),
    /// `warning`, `error`, or `silent`.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = LogLevel::Info)]
    log_level: LogLevel,
    /// Write what the build read and what each output holds to FILE, as esbuild's metafile
    /// (JSON that bundle analyzers read).
    #[arg(long, value_name = "FILE")]
    metafile: Option<PathBuf>,
    /// Print each output's largest input modules, with their bytes and share of it.
    #[arg(long)]
    analyze: bool,
    /// Print how long each phase took, how many modules and items were processed, and the
    /// peak heap when built with the `heap-stats` feature.
    #[arg(long)]
    stats: bool,
    /// Keep compiled modules in this directory, for later builds in any process [default:
    /// $VERDE_CACHE_DIR, else node_modules/.cache/verde next to the nearest package.json
    /// above the first entry].
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Compile every module: read and write no module cache (also `VERDE_NO_CACHE=1`).
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
    /// Evict the least recently used modules once the cache's entries exceed SIZE (bytes,
    /// or with a K, M or G suffix) [default: 512M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    cache_max_size: Option<u64>,
    /// Also read modules from, and upload those compiled here to, the Bazel HTTP remote
    /// cache at URL (bazel-remote, BuildBuddy, nginx with WebDAV); the local cache is read
    /// first.
    #[arg(long, value_name = "URL", conflicts_with = "no_cache")]
    remote_cache: Option<String>,
    /// A header sent with every remote cache request, as 'Name: value' (repeatable).
    #[arg(long, value_name = "HEADER", requires = "remote_cache")]
    remote_cache_header: Vec<String>,
    /// Read from the remote cache, never upload to it (for jobs whose results are not
    /// trusted).
    #[arg(long, requires = "remote_cache")]
    remote_cache_read_only: bool,
    /// How long one remote cache request may take before the build stops asking the server
    /// and compiles [default: 10].
    #[arg(long, value_name = "SECONDS", requires = "remote_cache", value_parser = parse_seconds)]
    remote_cache_timeout: Option<Duration>,
}

/// `--log-level`: what a build prints, least severe first.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum LogLevel {
    Info,
    Warning,
    Error,
    Silent,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum JsxArgument {
    Automatic,
    Classic,
    Preserve,
}

impl From<JsxArgument> for verde::JsxMode {
    fn from(mode: JsxArgument) -> Self {
        match mode {
            JsxArgument::Automatic => verde::JsxMode::Automatic,
            JsxArgument::Classic => verde::JsxMode::Classic,
            JsxArgument::Preserve => verde::JsxMode::Preserve,
        }
    }
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum LegalCommentsArgument {
    None,
    Inline,
    Eof,
}

impl From<LegalCommentsArgument> for verde::LegalComments {
    fn from(legal: LegalCommentsArgument) -> Self {
        match legal {
            LegalCommentsArgument::None => verde::LegalComments::None,
            LegalCommentsArgument::Inline => verde::LegalComments::Inline,
            LegalCommentsArgument::Eof => verde::LegalComments::Eof,
        }
    }
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum CharsetArgument {
    Ascii,
    Utf8,
}

impl From<CharsetArgument> for verde::Charset {
    fn from(charset: CharsetArgument) -> Self {
        match charset {
            CharsetArgument::Ascii => verde::Charset::Ascii,
            CharsetArgument::Utf8 => verde::Charset::Utf8,
        }
    }
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum PlatformArgument {
    Browser,
    Node,
    Neutral,
}

impl From<PlatformArgument> for verde::Platform {
    fn from(platform: PlatformArgument) -> Self {
        match platform {
            PlatformArgument::Browser => verde::Platform::Browser,
            PlatformArgument::Node => verde::Platform::Node,
            PlatformArgument::Neutral => verde::Platform::Neutral,
        }
    }
}

/// `--define KEY=VALUE`, checked the way the build will use it.
fn parse_define_argument(flag: &str) -> Result<(String, String), String> {
    let pair = verde::parse_define_flag(flag)?;
    verde::Defines::new(vec![pair.clone()])?;
    Ok(pair)
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Format {
    Esm,
    Cjs,
    Iife,
}

impl From<Format> for OutputFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Esm => OutputFormat::Esm,
            Format::Cjs => OutputFormat::Cjs,
            Format::Iife => OutputFormat::Iife,
        }
    }
}

/// The exit code of a build that a bug in verde stopped (`EX_SOFTWARE` in sysexits.h).
const INTERNAL_ERROR_EXIT: u8 = 70;

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    if let Err(message) = verde::threads_from_env() {
        return usage_error(&format!("VERDE_THREADS: {message}"));
    }
    match cli.command {
        Command::Build(args) => build(*args),
        Command::Lsp => match verde::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Command::Cache(args) => cache(args),
    }
}

/// `verde cache stats|clean`.
fn cache(args: CacheArgs) -> ExitCode {
    let dir = match args.cache_dir {
        Some(dir) => dir,
        None => match std::env::current_dir() {
            Ok(cwd) => verde::default_cache_dir(&cwd),
            Err(error) => {
                eprintln!("error: cannot read the current directory: {error}");
                return ExitCode::FAILURE;
            }
        },
    };
    let done = match args.action {
        CacheAction::Stats => verde::ModuleCache::stats(&dir).map(|stats| {
            #[allow(clippy::print_stdout, reason = "the command's output")]
            {
                println!("cache:   {}", dir.display());
                println!("modules: {}", stats.entries);
                println!("entries: {} bytes", stats.bytes);
                println!("file:    {} bytes", stats.file_bytes);
            }
        }),
        CacheAction::Clean => verde::ModuleCache::clean(&dir),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--cache-max-size`: bytes, or a number with a K, M or G suffix (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let scale: u64 = match unit.trim().to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: use bytes, or a K, M or G suffix"
            ));
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|number| number.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is not a size: use bytes, or a K, M or G suffix"))
}

/// `--remote-cache-timeout`: seconds, fractions allowed.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| format!("`{text}` is not a number of seconds above 0"))
}

/// Opens the module cache the build's flags ask for; a cache that cannot be opened is a
/// warning, and the build compiles every module. Fails on remote cache flags that do not
/// make sense (a URL that is not HTTP, a malformed header).
fn open_module_cache(
    args: &BuildArgs,
    entries: &[PathBuf],
    cwd: &Path,
) -> Result<Option<Arc<verde::ModuleCache>>, String> {
    // `VERDE_NO_CACHE=1` is `--no-cache` for scripts that cannot add a flag (benchmarks
    // timing cold builds).
    let no_cache_env =
        std::env::var_os("VERDE_NO_CACHE").is_some_and(|value| !value.is_empty() && value != "0");
    if args.no_cache || no_cache_env {
        return Ok(None);
    }
    let remote = args
        .remote_cache
        .as_ref()
        .map(|url| {
            verde::RemoteCache::new(verde::RemoteOptions {
                url: url.clone(),
                headers: args.remote_cache_header.clone(),
                read_only: args.remote_cache_read_only,
                timeout: args
                    .remote_cache_timeout
                    .unwrap_or(verde::DEFAULT_REMOTE_TIMEOUT),
            })
        })
        .transpose()?;
    let first = entries
        .first()
        .and_then(|entry| entry.parent())
        .unwrap_or(cwd);
    let max_size = args.cache_max_size.unwrap_or(verde::DEFAULT_CACHE_MAX_SIZE);
    match verde::open_project_cache(first, cwd, args.cache_dir.as_deref(), max_size) {
        Ok(cache) => Ok(Some(Arc::new(match remote {
            Some(remote) => cache.with_remote(remote),
            None => cache,
        }))),
        Err(problem) => {
            if args.log_level <= LogLevel::Warning {
                eprintln!(
                    "warning: the module cache cannot be used: {problem}; every module is compiled"
                );
            }
            Ok(None)
        }
    }
}

fn init_tracing() {
    let Ok(filter) = std::env::var("VERDE_LOG") else {
        return;
    };
    // The resolver logs every option of every resolution at debug level: too much unless
    // asked for by name (a later, equally specific directive wins).
    let filter = format!("oxc_resolver=warn,{filter}");
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .init();
}

/// Prints a usage error the way clap does and returns its exit code.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\nFor more information, try '--help'.");
    ExitCode::from(2)
}

fn build(args: BuildArgs) -> ExitCode {
    if let Some(problem) = args.name.as_deref().and_then(verde::global_name_problem) {
        return usage_error(&format!("invalid value for --name: {problem}"));
    }
    // ES modules split by default with --outdir; CommonJS when asked (without, each entry
    // gets a bundle of its own, as before chunks existed).
    let splitting = args.outdir.is_some()
        && match args.format {
            Format::Esm => true,
            Format::Cjs => args.splitting,
            Format::Iife => false,
        };
    if args.splitting && !splitting {
        return usage_error(match &args.outdir {
            None => "--splitting writes several files: it needs --outdir DIR, not --outfile",
            Some(_) => "--splitting needs --format esm or cjs: an IIFE cannot load other chunks",
        });
    }
    let output_names = output_names(&args);
    let entries: Vec<PathBuf> = args
        .entries
        .iter()
        .map(|entry| std::path::absolute(entry).unwrap_or_else(|_| entry.clone()))
        .collect();
    match (&args.outfile, &args.outdir) {
        (Some(_), None) if args.entries.len() != 1 => {
            return usage_error("--outfile takes exactly one entry; use --outdir for several");
        }
        (Some(_), None) => {}
        (None, Some(outdir)) => {
            // Two entries named alike would write the same file: one bundle would be lost.
            // (With `[hash]` in the name, only if their bytes are the same.)
            let names: Vec<String> = entries
                .iter()
                .map(|entry| verde::entry_file_name(&output_names, entry, &entries, None))
                .collect();
            for (index, name) in names.iter().enumerate() {
                if output_names.entry.contains("[hash]") {
                    break;
                }
                if let Some(other) = names[..index].iter().position(|earlier| earlier == name) {
                    return usage_error(&format!(
                        "entries {} and {} would both be written to {}; --entry-names=[dir]/[name] keeps their directories apart",
                        args.entries[other].display(),
                        args.entries[index].display(),
                        outdir.join(name).display()
                    ));
                }
            }
        }
        _ => return usage_error("one of --outfile FILE or --outdir DIR is required"),
    }
    // Where each entry's bundle goes, once its code is known (`[hash]`).
    let output_path = |index: usize, code: Option<&verde::Code>| match (&args.outfile, &args.outdir)
    {
        (Some(outfile), _) => outfile.clone(),
        (_, outdir) => outdir
            .clone()
            .unwrap_or_default()
            .join(verde::entry_file_name(
                &output_names,
                &entries[index],
                &entries,
                code,
            )),
    };

    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => {
            eprintln!("error: cannot read the current directory: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The command line reports what a build did from its stats, not the query log.
    let mut compiler = Compiler::new(cwd.clone()).without_query_log();
    match open_module_cache(&args, &entries, &cwd) {
        Ok(cache) => compiler.set_module_cache(cache),
        Err(problem) => return usage_error(&problem),
    }
    if let Some(threads) = args.threads {
        compiler.set_threads(threads);
    }
    if splitting {
        return build_split(args, compiler);
    }
    if args.watch {
        let [entry] = args.entries.as_slice() else {
            return usage_error("--watch takes exactly one entry");
        };
        if output_names.entry.contains("[hash]") {
            return usage_error(
                "--watch writes one file over and over: its name cannot have [hash] without --splitting",
            );
        }
        let options = build_options(&args, entry);
        return run_watch(&args, compiler, &options, &output_path(0, None));
    }
    let mut report = Report::new(&args, compiler.root().to_path_buf());
    for (index, entry) in args.entries.iter().enumerate() {
        let output = compiler.build(&build_options(&args, entry));
        report.diagnostics(&compiler, &output);
        match &output.code {
            Some(code) if !output.has_errors() => {
                let outfile = output_path(index, Some(code));
                let writing = Instant::now();
                let written = OutputWriter::new().write_output(&output, &outfile);
                if args.stats {
                    print_stats(&output.stats, Some((writing.elapsed(), code.len())));
                }
                report.written(output, written, &outfile);
            }
            _ => {
                if args.stats {
                    print_stats(&output.stats, None);
                }
                report.failed = true;
            }
        }
        let cache_warnings = compiler.finish_cache_writes();
        report.print(&compiler, &cache_warnings);
    }
    // The process is about to exit and the OS takes the memory back at once; freeing the
    // database piece by piece first costs tens of milliseconds on a large graph.
    std::mem::forget(compiler);
    report.finish()
}

/// `--watch`: builds `options` into `target` (a file, or with splitting a directory) on
/// every change until Ctrl-C, printing a line per rebuild (nothing at `--log-level
/// silent`) and rewriting `--metafile`.
fn run_watch(
    args: &BuildArgs,
    mut compiler: Compiler,
    options: &BuildOptions,
    target: &Path,
) -> ExitCode {
    let stop = watch::stop_on_ctrl_c();
    let result = watch::watch(
        &mut compiler,
        options,
        target,
        &stop,
        |compiler, rebuild| {
            // Before the line that says the rebuild is done.
            if let (Some(path), Some(metafile), true) =
                (&args.metafile, &rebuild.output.metafile, rebuild.written)
            {
                write_metafile(
                    path,
                    &[(metafile, &rebuild.files)],
                    compiler.root(),
                    args.log_level,
                );
            }
            if args.log_level < LogLevel::Silent {
                watch::print_rebuild(&mut std::io::stderr().lock(), compiler, rebuild, target);
            }
        },
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot watch the inputs: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A split `--outdir`: every entry in one build, split into chunks.
fn build_split(args: BuildArgs, mut compiler: Compiler) -> ExitCode {
    let outdir = args.outdir.clone().expect("splitting writes to --outdir");
    let mut options = build_options(&args, &args.entries[0]);
    options.entries = args.entries.clone();
    options.splitting = true;
    if args.watch {
        return run_watch(&args, compiler, &options, &outdir);
    }
    let mut report = Report::new(&args, compiler.root().to_path_buf());
    let output = compiler.build(&options);
    report.diagnostics(&compiler, &output);
    if output.has_errors() || output.chunks.is_empty() {
        report.failed = true;
        if args.stats {
            print_stats(&output.stats, None);
        }
    } else {
        let writing = Instant::now();
        let written = OutputWriter::new().write_chunks(&output, &outdir);
        if args.stats {
            let bytes = output.chunks.iter().map(|chunk| chunk.code.len()).sum();
            print_stats(&output.stats, Some((writing.elapsed(), bytes)));
        }
        report.written(output, written, &outdir);
    }
    let cache_warnings = compiler.finish_cache_writes();
    report.print(&compiler, &cache_warnings);
    std::mem::forget(compiler);
    report.finish()
}

/// What a build prints besides its progress (diagnostics at `--log-level`, the files it
/// wrote, `--analyze`), the `--metafile` it writes, and its exit code.
struct Report {
    level: LogLevel,
    analyze: bool,
    metafile: Option<PathBuf>,
    root: PathBuf,
    started: Instant,
    /// What each build wrote, with what each output holds.
    builds: Vec<(Option<verde::metafile::Metafile>, Vec<WrittenFile>)>,
    failed: bool,
    internal_error: bool,
}

impl Report {
    fn new(args: &BuildArgs, root: PathBuf) -> Self {
        Report {
            level: args.log_level,
            analyze: args.analyze,
            metafile: args.metafile.clone(),
            root,
            started: Instant::now(),
            builds: Vec::new(),
            failed: false,
            internal_error: false,
        }
    }

    /// Whether the build collects what each output holds.
    fn wants_metafile(args: &BuildArgs) -> bool {
        args.metafile.is_some() || args.analyze
    }

    /// Prints a build's diagnostics that the log level lets through.
    fn diagnostics(&mut self, compiler: &Compiler, output: &verde::BuildOutput) {
        self.internal_error |= output.has_internal_errors();
        self.print(compiler, &output.diagnostics);
    }

    /// Prints `diagnostics` as the log level says.
    fn print(&self, compiler: &Compiler, diagnostics: &[verde::Diagnostic]) {
        let shown = |severity: verde::Severity| match severity {
            verde::Severity::Error => self.level <= LogLevel::Error,
            verde::Severity::Warning => self.level <= LogLevel::Warning,
        };
        let mut stderr = std::io::stderr().lock();
        for diagnostic in diagnostics {
            if shown(diagnostic.severity) {
                let _ = write!(stderr, "{}", compiler.render_diagnostic(diagnostic));
            }
        }
    }

    /// Records what writing a build's outputs to `path` did.
    fn written(
        &mut self,
        output: verde::BuildOutput,
        result: std::io::Result<Vec<WrittenFile>>,
        path: &Path,
    ) {
        match result {
            Ok(files) => self.builds.push((output.metafile, files)),
            Err(error) => {
                self.failed = true;
                if self.level < LogLevel::Silent {
                    report_write_error(&error, path);
                }
            }
        }
    }

    /// Writes the metafile, prints the summary, and says how the build ended.
    fn finish(mut self) -> ExitCode {
        if let Some(path) = self.metafile.as_ref().filter(|_| !self.failed) {
            let builds: Vec<_> = self
                .builds
                .iter()
                .filter_map(|(metafile, files)| Some((metafile.as_ref()?, files.as_slice())))
                .collect();
            self.failed |= !write_metafile(path, &builds, &self.root, self.level);
        }
        let mut out = String::new();
        if self.analyze && self.level < LogLevel::Silent {
            for (metafile, files) in &self.builds {
                if let Some(metafile) = metafile {
                    out += &verde::metafile::analysis(metafile, files, &self.root);
                }
            }
        } else if self.level == LogLevel::Info {
            let files: Vec<WrittenFile> = self
                .builds
                .iter()
                .flat_map(|(_, files)| files.iter().cloned())
                .collect();
            if !files.is_empty() {
                out += &verde::metafile::summary(&files, &self.root);
            }
        }
        if self.level == LogLevel::Info && !self.failed && !self.internal_error {
            let elapsed = self.started.elapsed().as_secs_f64() * 1e3;
            out += &format!("\nDone in {elapsed:.0}ms\n");
        }
        eprint!("{out}");
        if self.internal_error {
            if self.level < LogLevel::Silent {
                eprintln!("build failed: internal error");
            }
            ExitCode::from(INTERNAL_ERROR_EXIT)
        } else if self.failed {
            if self.level < LogLevel::Silent {
                eprintln!("build failed");
            }
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Writes `--metafile` atomically; whether it was written (why not is printed, unless
/// `level` is silent).
fn write_metafile(
    path: &Path,
    builds: &[(&verde::metafile::Metafile, &[WrittenFile])],
    root: &Path,
    level: LogLevel,
) -> bool {
    let json = verde::metafile::metafile_json(builds, root);
    match verde::write_atomically(path, &verde::Code::from_pieces(vec![json.into()])) {
        Ok(()) => true,
        Err(error) => {
            if level < LogLevel::Silent {
                report_write_error(&error, path);
            }
            false
        }
    }
}

/// Prints why writing `path` failed.
fn report_write_error(error: &std::io::Error, path: &Path) {
    // Refused: an output would overwrite an input (the message says which).
    if error.kind() == std::io::ErrorKind::AlreadyExists {
        eprintln!("error: {error}");
    } else {
        eprintln!("error: cannot write {}: {error}", path.display());
    }
}

/// `--entry-names` and `--chunk-names`, or their defaults.
fn output_names(args: &BuildArgs) -> verde::OutputNames {
    let defaults = verde::OutputNames::default();
    verde::OutputNames {
        entry: args.entry_names.clone().unwrap_or(defaults.entry),
        chunk: args.chunk_names.clone().unwrap_or(defaults.chunk),
    }
}

/// What to build for one entry.
fn build_options(args: &BuildArgs, entry: &Path) -> BuildOptions {
    BuildOptions {
        splitting: false,
        metafile: Report::wants_metafile(args),
        output_names: output_names(args),
        entries: vec![entry.to_path_buf()],
        format: args.format.into(),
        externals: args.externals.clone(),
        global_name: args.name.clone(),
        loaders: args.loaders.clone(),
        jsx: verde::JsxFlags {
            mode: args.jsx.map(Into::into),
            import_source: args.jsx_import_source.clone(),
            development: args.jsx_dev,
        },
        tsconfig: args.tsconfig.clone(),
        // Each pair was checked when the command line was read.
        defines: verde::Defines::new(args.defines.clone()).unwrap_or_default(),
        platform: args.platform.into(),
        source_maps: args.sourcemap.map(|mode| verde::SourceMaps {
            mode,
            sources_content: args.sources_content,
        }),
        minify_whitespace: args.minify_whitespace || args.minify,
        minify_identifiers: args.minify_identifiers || args.minify,
        minify_syntax: args.minify_syntax || args.minify,
        legal_comments: args.legal_comments.into(),
        charset: args.charset.into(),
        keep_names: args.keep_names,
    }
}

fn parse_entry_names(pattern: &str) -> Result<String, String> {
    match verde::names_pattern_problem(pattern, false) {
        Some(problem) => Err(problem),
        None => Ok(pattern.to_owned()),
    }
}

fn parse_chunk_names(pattern: &str) -> Result<String, String> {
    match verde::names_pattern_problem(pattern, true) {
        Some(problem) => Err(problem),
        None => Ok(pattern.to_owned()),
    }
}

/// `--sourcemap=MODE`.
fn parse_sourcemap_mode(mode: &str) -> Result<verde::SourceMapMode, String> {
    verde::SourceMapMode::from_name(mode).ok_or_else(|| {
        format!(
            "unknown source map mode '{mode}' (expected linked, external, hidden, inline or both)"
        )
    })
}

/// The `--stats` report, on stderr: per-phase wall time, what was processed, peak heap.
fn print_stats(stats: &BuildStats, written: Option<(Duration, usize)>) {
    let milliseconds = |duration: Duration| duration.as_secs_f64() * 1e3;
    let megabytes = |bytes: usize| bytes as f64 / 1e6;
    let mut total = stats.parse + stats.link + stats.render;
    let mut report = format!(
        "parse+scope {:>8.1} ms  {} modules, {} items; {} parsed, {} from the cache\n\
         link        {:>8.1} ms  {} live items\n\
         render      {:>8.1} ms\n",
        milliseconds(stats.parse),
        stats.modules,
        stats.items,
        stats.parsed,
        stats.restored,
        milliseconds(stats.link),
        stats.live_items,
        milliseconds(stats.render),
    );
    if let Some((duration, bytes)) = written {
        total += duration;
        report += &format!(
            "write       {:>8.1} ms  {:.2} MB\n",
            milliseconds(duration),
            megabytes(bytes)
        );
    }
    report += &format!("total       {:>8.1} ms\n", milliseconds(total));
    if let Some(peak) = verde::heap::peak_heap() {
        report += &format!("peak heap   {:>8.1} MB\n", megabytes(peak));
    }
    eprint!("{report}");
}
