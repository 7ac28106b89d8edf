//! Code splitting: with `--outdir`, the linked bundle becomes a graph of chunks instead of
//! one file. It runs after link (it reads the module graph and link's names) and before
//! render (which renders one chunk at a time). In data-flow order:
//!
//! 1. [`chunks`]: `chunk_graph`, which chunk each module goes to. Every entry and every
//!    ES module an `import()` loads is a *root*; a module goes to the chunk of the set of
//!    roots that reach it, so each module's code exists exactly once, and a chunk only
//!    imports chunks whose root sets contain its own (the chunk graph has no cycle of
//!    static imports). It also checks that loading each root runs the modules with side
//!    effects in the order the unbundled modules would.
//! 2. [`boundary`]: `chunk_boundary`, what each chunk imports from the others and exports
//!    to them: the top-level names its code mentions that another chunk declares. Link
//!    names every binding in one scope for the whole build, so a binding keeps its name
//!    across a chunk boundary.
//!
//! Without splitting there is one chunk holding every module, and nothing crosses.

pub mod boundary;
pub mod chunks;
pub mod naming;
pub mod plan;
