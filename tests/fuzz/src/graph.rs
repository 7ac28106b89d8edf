//! Generated ES module graphs that are valid by construction, for the differential target:
//! node runs them unbundled and bundled, and both must print the same. docs/fuzzing.md lists
//! what they contain.
//!
//! Valid by construction: re-exports only point to later modules (so export resolution has
//! no cycle); the generator computes every module's export table (with `export *` ambiguity)
//! and imports only names that resolve; it simulates the evaluation order (depth-first over
//! each module's requests in source order, as the spec does) and lets top-level code read a
//! binding only when it is initialized by then: its module finished evaluating before, or
//! it is a hoisted function or a `var` (`Object.keys` of a namespace reads every member, so
//! it needs all of them). Code that runs after everything (each module's `report`, called by
//! the entry at its very end) may read anything. Values are numbers and strings; nothing
//! prints a function or a namespace object, and of `.name` only a class's and an anonymous
//! default function's are read: bundlers change the others by design.
//!
//! This file plans a graph (modules, bindings, exports, requests, evaluation order);
//! `graph/code.rs` writes it as JavaScript.
//!
//! Choices come from an [`Entropy`]: a seeded generator for the campaign, or the fuzzer's
//! bytes (then a seeded generator takes over when they run out).

use crate::modules::Module;

// A path the library crate and `tests/fuzz.rs` (which includes this file by path) agree on.
#[path = "graph/code.rs"]
mod code;

/// Where the generator's choices come from.
pub trait Entropy {
    fn byte(&mut self) -> u8;
}

/// splitmix64 from a seed.
#[derive(Clone, Debug)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Entropy for Seeded {
    fn byte(&mut self) -> u8 {
        (self.next_u64() >> 56) as u8
    }
}

/// The fuzzer's bytes, one per choice; past their end, a [`Seeded`] generator seeded with
/// their hash, so that short inputs still make rich graphs.
#[derive(Clone, Debug)]
pub struct FuzzBytes<'a> {
    data: &'a [u8],
    position: usize,
    rest: Seeded,
}

impl<'a> FuzzBytes<'a> {
    pub fn new(data: &'a [u8]) -> FuzzBytes<'a> {
        let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        FuzzBytes {
            data,
            position: 0,
            rest: Seeded::new(hash),
        }
    }
}

impl Entropy for FuzzBytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.get(self.position) {
            Some(&byte) => {
                self.position += 1;
                byte
            }
            None => self.rest.byte(),
        }
    }
}

/// A generated graph: its modules, the first is the entry.
#[derive(Clone, Debug)]
pub struct Graph {
    pub modules: Vec<Module>,
}

/// Generates one graph from `entropy`.
pub fn generate(entropy: &mut dyn Entropy) -> Graph {
    let mut generator = Generator {
        choices: Choices { entropy },
        bindings: Vec::new(),
        plans: Vec::new(),
        labels: 0,
        in_lib: Vec::new(),
        json_importer: None,
        computed_members: false,
    };
    generator.run()
}

struct Choices<'a> {
    entropy: &'a mut dyn Entropy,
}

impl Choices<'_> {
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        if n <= 256 {
            usize::from(self.entropy.byte()) % n
        } else {
            (usize::from(self.entropy.byte()) << 8 | usize::from(self.entropy.byte())) % n
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'v, T>(&mut self, items: &'v [T]) -> &'v T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, chosen with those weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (index, &weight) in weights.iter().enumerate() {
            if roll < weight {
                return index;
            }
            roll -= weight;
        }
        unreachable!()
    }
}

/// Top-level names: common ones (so modules collide), the names bundlers make up for
/// deconflicting, namespaces and default exports, and globals a bundle's runtime may use.
const TOP_NAMES: &[&str] = &[
    "a",
    "b",
    "x",
    "value",
    "count",
    "Thing",
    "helper",
    "make",
    "data",
    "state",
    "a$1",
    "value$1",
    "Thing$1",
    "count$1",
    "report$1",
    "m1_default",
    "m2_default",
    "m3_default",
    "m1_exports",
    "m2_exports",
    "init_m1",
    "init_m2",
    "exports",
    "module",
    "require",
    "Symbol",
    "Promise",
    "ns",
    "ns$1",
    "default$1",
    "_default",
];

/// Planned locals may also be `Object`, which the generated code uses (`Object.keys`): it
/// knows, before writing a module, whether that module shadows it.
const LOCAL_NAMES: &[&str] = &["Object", "a", "value", "Thing", "helper", "count"];

/// Names of parameters and nested locals: they shadow top-level and imported names.
const NESTED_NAMES: &[&str] = &[
    "a",
    "b",
    "x",
    "n",
    "i",
    "value",
    "count",
    "Thing",
    "helper",
    "a$1",
    "value$1",
    "count$1",
    "m1_default",
    "m2_exports",
    "init_m1",
    "ns",
    "exports",
    "report",
];

/// Exported names: shared ones (for `export *` conflicts), and the unusual ones the syntax
/// allows (a reserved word, `__proto__`, a string).
const EXPORT_NAMES: &[&str] = &[
    "a",
    "b",
    "x",
    "value",
    "count",
    "Thing",
    "helper",
    "shared",
    "data",
    "item",
    "class",
    "__proto__",
    "with space",
    "ns",
    "util",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A number or string.
    Value,
    /// A number that a `Mutator` changes.
    Counter,
    /// `function f(n) { ... }`: hoisted, reads only its parameter.
    PureFunction,
    /// `const f = (n) => ...`: reads what was initialized where it is declared.
    Arrow,
    /// `function bump() { count += k; return count; }`.
    Mutator,
    /// `class C { constructor(n) {...} get() {...} }`.
    Class,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    Const,
    Let,
    Var,
    Function,
    Class,
    /// `export default expression`, or an anonymous default function or class.
    Default,
}

#[derive(Clone, Debug)]
struct Binding {
    module: usize,
    /// The name in its module; `None` for a default export without one.
    local: Option<String>,
    kind: Kind,
    declared: Declared,
    /// A `Mutator`'s counter.
    counter: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Binding(usize),
    Namespace(usize),
    /// A parameter or nested local holding a value.
    Local,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resolution {
    Resolved(Target),
    Ambiguous,
}

#[derive(Clone, Debug)]
enum Request {
    Import {
        from: usize,
        default: Option<String>,
        namespace: Option<String>,
        /// (imported name, local name)
        named: Vec<(String, String)>,
    },
    Bare(usize),
    /// (imported name, exported name)
    ReexportNamed {
        from: usize,
        items: Vec<(String, String)>,
    },
    ReexportAll(usize),
    ReexportNamespace {
        from: usize,
        name: String,
    },
    /// `import { imported as local } from ...; export { local as exported };`
    ImportThenExport {
        from: usize,
        imported: String,
        local: String,
        exported: String,
    },
}

impl Request {
    fn from(&self) -> usize {
        match self {
            Request::Import { from, .. }
            | Request::Bare(from)
            | Request::ReexportNamed { from, .. }
            | Request::ReexportAll(from)
            | Request::ReexportNamespace { from, .. }
            | Request::ImportThenExport { from, .. } => *from,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum DefaultForm {
    Expression(usize),
    Function(usize),
    Class(usize),
    /// `export { local as default }`
    Local(usize),
}

#[derive(Clone, Debug, Default)]
struct Plan {
    top_names: Vec<String>,
    export_names: Vec<String>,
    /// Bindings declared here, in order.
    locals: Vec<usize>,
    /// (binding, exported name, inline `export const ...`)
    exports: Vec<(usize, String, bool)>,
    default: Option<DefaultForm>,
    requests: Vec<Request>,
    /// The export table: every exported name and what it resolves to.
    table: Vec<(String, Resolution)>,
    /// Import bindings: (local name, what it is).
    imports: Vec<(String, Target)>,
    /// Modules the entry imports with `await import()` at its end.
    dynamic: Vec<usize>,
    /// Position in the evaluation order; `None` if never evaluated.
    position: Option<usize>,
}

impl Plan {
    fn resolve(&self, name: &str) -> Option<Resolution> {
        self.table
            .iter()
            .find(|(exported, _)| exported == name)
            .map(|(_, resolution)| *resolution)
    }

    fn resolved(&self) -> Vec<(String, Target)> {
        self.table
            .iter()
            .filter_map(|(name, resolution)| match resolution {
                Resolution::Resolved(target) => Some((name.clone(), *target)),
                Resolution::Ambiguous => None,
            })
            .collect()
    }
}

struct Generator<'a> {
    choices: Choices<'a>,
    bindings: Vec<Binding>,
    plans: Vec<Plan>,
    labels: usize,
    /// Which modules live in `lib/` rather than beside the entry.
    in_lib: Vec<bool>,
    /// The module that imports `data.json`, if the graph has one.
    json_importer: Option<usize>,
    /// Whether the module being written reads some namespace members with a computed key
    /// (`ns[["x"][0]]`), which a bundler cannot turn into a direct reference.
    computed_members: bool,
}

fn file_name(module: usize) -> String {
    format!("m{module}.mjs")
}

/// `module`'s path in the project.
fn path(in_lib: &[bool], module: usize) -> String {
    if in_lib[module] {
        format!("lib/{}", file_name(module))
    } else {
        file_name(module)
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

impl Generator<'_> {
    fn run(&mut self) -> Graph {
        let count = self.choices.between(2, 7);
        self.plans = vec![Plan::default(); count];
        let use_lib = self.choices.chance(40);
        self.in_lib = (0..count)
            .map(|module| module >= 2 && use_lib && self.choices.chance(50))
            .collect();
        // The last module may be lazy: reached only through `await import()` from the entry.
        let lazy = (count >= 3 && self.choices.chance(30)).then_some(count - 1);
        for module in 0..count {
            self.plan_locals(module);
        }
        for module in (0..count).rev() {
            self.plan_reexports(module, lazy);
            self.compute_table(module);
        }
        self.plan_imports(lazy);
        self.plan_dynamic_imports(lazy);
        self.simulate_evaluation();
        let top_level_await = !self.plans[0].dynamic.is_empty() || self.choices.chance(8);
        let json = self.choices.chance(12).then(|| {
            let reached: Vec<usize> = (0..count)
                .filter(|&module| self.plans[module].position.is_some())
                .collect();
            self.json_importer = Some(*self.choices.pick(&reached));
            self.json_value(0)
        });
        let mut modules: Vec<Module> = (0..count)
            .map(|module| Module {
                name: path(&self.in_lib, module),
                text: self.emit_module(module, top_level_await),
            })
            .collect();
        if let Some(json) = json {
            modules.push(Module {
                name: "data.json".to_owned(),
                text: format!("{json}\n"),
            });
        }
        Graph { modules }
    }

    /// A JSON value whose keys include the ones an object literal treats specially.
    fn json_value(&mut self, depth: usize) -> String {
        // The top is an object (`Object.keys(null)` would throw).
        let choice = match depth {
            0 => 6,
            1 => self.choices.below(7),
            _ => self.choices.below(4),
        };
        match choice {
            0 => self.choices.below(1000).to_string(),
            1 => format!("{:?}", *self.choices.pick(&["s", "é", "a\u{1f600}", ""])),
            2 => (*self.choices.pick(&["true", "null", "-1.5e3"])).to_owned(),
            3 => "[]".to_owned(),
            4 => {
                let items: Vec<String> = (0..self.choices.between(1, 3))
                    .map(|_| self.json_value(depth + 1))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            _ => {
                let mut keys: Vec<&str> = Vec::new();
                for _ in 0..self.choices.between(1, 4) {
                    let key = *self.choices.pick(&[
                        "a",
                        "__proto__",
                        "constructor",
                        "toString",
                        "1",
                        "é",
                        "with space",
                        "default",
                    ]);
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                let members: Vec<String> = keys
                    .into_iter()
                    .map(|key| format!("{key:?}: {}", self.json_value(depth + 1)))
                    .collect();
                format!("{{ {} }}", members.join(", "))
            }
        }
    }

    /// How `module` spells an import of `target`: relative, sometimes not in the shortest way
    /// (`./lib/../m1.mjs`), which must still be the same module.
    fn specifier(&mut self, module: usize, target: usize) -> String {
        let name = file_name(target);
        let canonical = self.choices.chance(90);
        let relative = match (self.in_lib[module], self.in_lib[target], canonical) {
            (false, false, true) => format!("./{name}"),
            (false, false, false) => format!("./lib/../{name}"),
            (false, true, true) => format!("./lib/{name}"),
            (false, true, false) => format!("./lib/../lib/{name}"),
            (true, false, true) => format!("../{name}"),
            (true, false, false) => format!("../lib/../{name}"),
            (true, true, true) => format!("./{name}"),
            (true, true, false) => format!("../lib/{name}"),
        };
        format!("{relative:?}")
    }

    fn top_name(&mut self, module: usize, pool: &[&str]) -> String {
        let base = *self.choices.pick(pool);
        let taken = &self.plans[module].top_names;
        let name = if !taken.iter().any(|name| name == base) {
            base.to_owned()
        } else {
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|name| !taken.contains(name))
                .expect("a free name")
        };
        self.plans[module].top_names.push(name.clone());
        name
    }

    fn export_name(&mut self, module: usize, preferred: Option<&str>) -> String {
        let base = match preferred {
            Some(name) if self.choices.chance(50) => name.to_owned(),
            _ => (*self.choices.pick(EXPORT_NAMES)).to_owned(),
        };
        let taken = &self.plans[module].export_names;
        let name = if !taken.contains(&base) && base != "default" {
            base
        } else {
            (2..)
                .map(|n| format!("{base}{n}"))
                .find(|name| !taken.contains(name))
                .expect("a free name")
        };
        self.plans[module].export_names.push(name.clone());
        name
    }

    fn add_binding(&mut self, binding: Binding) -> usize {
        self.bindings.push(binding);
        self.bindings.len() - 1
    }

    fn plan_locals(&mut self, module: usize) {
        self.plans[module].top_names.push("report".to_owned());
        for _ in 0..self.choices.between(1, 5) {
            let kind = [
                Kind::Value,
                Kind::PureFunction,
                Kind::Arrow,
                Kind::Counter,
                Kind::Class,
            ][self.choices.weighted(&[35, 15, 10, 15, 15])];
            let declared = match kind {
                Kind::Value => *self
                    .choices
                    .pick(&[Declared::Const, Declared::Let, Declared::Var]),
                Kind::Counter => *self
                    .choices
                    .pick(&[Declared::Let, Declared::Let, Declared::Var]),
                Kind::Arrow => *self.choices.pick(&[Declared::Const, Declared::Let]),
                Kind::PureFunction | Kind::Mutator => Declared::Function,
                Kind::Class => Declared::Class,
            };
            let pool = if self.choices.chance(10) {
                LOCAL_NAMES
            } else {
                TOP_NAMES
            };
            let local = self.top_name(module, pool);
            let id = self.add_binding(Binding {
                module,
                local: Some(local.clone()),
                kind,
                declared,
                counter: None,
            });
            self.plans[module].locals.push(id);
            self.maybe_export(module, id, &local);
            if kind == Kind::Counter {
                let local = self.top_name(module, &["bump", "increment", "next", "count$1"]);
                let mutator = self.add_binding(Binding {
                    module,
                    local: Some(local.clone()),
                    kind: Kind::Mutator,
                    declared: Declared::Function,
                    counter: Some(id),
                });
                self.plans[module].locals.push(mutator);
                self.maybe_export(module, mutator, &local);
            }
        }
        if self.choices.chance(45) {
            let form = self.choices.below(5);
            let named = self.choices.chance(50);
            let (kind, declared) = match form {
                0 | 1 => (Kind::Value, Declared::Default),
                2 => (Kind::PureFunction, Declared::Function),
                3 => (Kind::Class, Declared::Class),
                _ => (Kind::Value, Declared::Default),
            };
            let default = if form == 4 {
                let candidates = self.plans[module].locals.clone();
                DefaultForm::Local(*self.choices.pick(&candidates))
            } else {
                let local = (named && form >= 2).then(|| self.top_name(module, TOP_NAMES));
                let id = self.add_binding(Binding {
                    module,
                    local,
                    kind,
                    declared: if form >= 2 && !named {
                        Declared::Default
                    } else {
                        declared
                    },
                    counter: None,
                });
                match form {
                    2 => DefaultForm::Function(id),
                    3 => DefaultForm::Class(id),
                    _ => DefaultForm::Expression(id),
                }
            };
            self.plans[module].default = Some(default);
        }
    }

    fn maybe_export(&mut self, module: usize, id: usize, local: &str) {
        if self.choices.chance(65) {
            let name = self.export_name(module, Some(local));
            let inline = name == local && self.choices.chance(50);
            self.plans[module].exports.push((id, name, inline));
        }
    }

    fn plan_reexports(&mut self, module: usize, lazy: Option<usize>) {
        let later: Vec<usize> = (module + 1..self.plans.len())
            .filter(|&target| Some(target) != lazy)
            .collect();
        if later.is_empty() {
            return;
        }
        for _ in 0..self.choices.below(3) {
            let from = *self.choices.pick(&later);
            let request = match self.choices.weighted(&[35, 35, 15, 15]) {
                0 => Request::ReexportAll(from),
                3 => {
                    let available = self.plans[from].resolved();
                    if available.is_empty() {
                        continue;
                    }
                    let (imported, target) = self.choices.pick(&available).clone();
                    let local = self.top_name(module, TOP_NAMES);
                    let exported = self.export_name(module, Some(&imported));
                    self.plans[module].imports.push((local.clone(), target));
                    Request::ImportThenExport {
                        from,
                        imported,
                        local,
                        exported,
                    }
                }
                1 => {
                    let available = self.plans[from].resolved();
                    if available.is_empty() {
                        continue;
                    }
                    let mut items = Vec::new();
                    for _ in 0..self.choices.between(1, 2) {
                        let (imported, _) = self.choices.pick(&available).clone();
                        let exported = if imported == "default"
                            && !self.plans[module]
                                .export_names
                                .iter()
                                .any(|n| n == "default")
                            && self.plans[module].default.is_none()
                            && self.choices.chance(30)
                        {
                            self.plans[module].export_names.push("default".to_owned());
                            "default".to_owned()
                        } else {
                            self.export_name(module, Some(&imported))
                        };
                        items.push((imported, exported));
                    }
                    Request::ReexportNamed { from, items }
                }
                _ => Request::ReexportNamespace {
                    from,
                    name: self.export_name(module, Some("ns")),
                },
            };
            self.plans[module].requests.push(request);
        }
    }

    fn compute_table(&mut self, module: usize) {
        let plan = &self.plans[module];
        let mut explicit: Vec<(String, Resolution)> = plan
            .exports
            .iter()
            .map(|(id, name, _)| (name.clone(), Resolution::Resolved(Target::Binding(*id))))
            .collect();
        if let Some(default) = plan.default {
            let id = match default {
                DefaultForm::Expression(id)
                | DefaultForm::Function(id)
                | DefaultForm::Class(id)
                | DefaultForm::Local(id) => id,
            };
            explicit.push((
                "default".to_owned(),
                Resolution::Resolved(Target::Binding(id)),
            ));
        }
        let mut stars: Vec<(String, Resolution)> = Vec::new();
        for request in &plan.requests {
            match request {
                Request::ReexportNamed { from, items } => {
                    for (imported, exported) in items {
                        let resolution = self.plans[*from].resolve(imported).expect("resolves");
                        explicit.push((exported.clone(), resolution));
                    }
                }
                Request::ReexportNamespace { from, name } => {
                    explicit.push((name.clone(), Resolution::Resolved(Target::Namespace(*from))));
                }
                Request::ImportThenExport {
                    from,
                    imported,
                    exported,
                    ..
                } => {
                    let resolution = self.plans[*from].resolve(imported).expect("resolves");
                    explicit.push((exported.clone(), resolution));
                }
                Request::ReexportAll(from) => {
                    for (name, resolution) in &self.plans[*from].table {
                        if name == "default" || explicit.iter().any(|(n, _)| n == name) {
                            continue;
                        }
                        match stars.iter_mut().find(|(n, _)| n == name) {
                            None => stars.push((name.clone(), *resolution)),
                            Some((_, existing)) => {
                                if *existing != *resolution || *resolution == Resolution::Ambiguous
                                {
                                    *existing = Resolution::Ambiguous;
                                }
                            }
                        }
                    }
                }
                Request::Import { .. } | Request::Bare(_) => {}
            }
        }
        // Explicit names win over star names even when the star came first.
        stars.retain(|(name, _)| !explicit.iter().any(|(n, _)| n == name));
        explicit.extend(stars);
        self.plans[module].table = explicit;
    }

    /// Imports: first one edge into every module no earlier module requests yet (so that
    /// every module but the lazy one is reached from the entry), then a few random ones,
    /// backwards (cycles) as well as forwards.
    fn plan_imports(&mut self, lazy: Option<usize>) {
        let count = self.plans.len();
        for later in 1..count {
            if Some(later) == lazy {
                continue;
            }
            let reached = (0..later).any(|earlier| {
                self.plans[earlier]
                    .requests
                    .iter()
                    .any(|request| request.from() == later)
            });
            if !reached {
                let earlier = self.choices.below(later);
                self.add_import(earlier, later);
            }
        }
        for module in 0..count {
            let candidates: Vec<usize> = (0..count)
                .filter(|&target| target != module && Some(target) != lazy)
                .collect();
            if candidates.is_empty() {
                continue;
            }
            for _ in 0..self.choices.below(3) {
                let target = *self.choices.pick(&candidates);
                self.add_import(module, target);
            }
        }
    }

    /// Adds an import of `from` to `module`, among its other requests.
    fn add_import(&mut self, module: usize, from: usize) {
        let request = self.import_request(module, from);
        let position = self.choices.below(self.plans[module].requests.len() + 1);
        self.plans[module].requests.insert(position, request);
    }

    fn import_request(&mut self, module: usize, from: usize) -> Request {
        let available = self.plans[from].resolved();
        let has_default = available.iter().any(|(name, _)| name == "default");
        if available.is_empty() || self.choices.chance(8) {
            return Request::Bare(from);
        }
        let shape = self.choices.below(5);
        let default = (has_default && (shape == 1 || shape == 2 || shape == 4))
            .then(|| self.top_name(module, TOP_NAMES));
        let namespace = (shape == 3 || shape == 4).then(|| self.top_name(module, TOP_NAMES));
        let mut named = Vec::new();
        if (shape == 0 || shape == 2) || (default.is_none() && namespace.is_none()) {
            for _ in 0..self.choices.between(1, 3) {
                let (imported, _) = self.choices.pick(&available).clone();
                named.push((imported, self.top_name(module, TOP_NAMES)));
            }
        }
        let mut imports = Vec::new();
        if let Some(local) = &default {
            let Some(Resolution::Resolved(target)) = self.plans[from].resolve("default") else {
                unreachable!("a resolved default");
            };
            imports.push((local.clone(), target));
        }
        if let Some(local) = &namespace {
            imports.push((local.clone(), Target::Namespace(from)));
        }
        for (imported, local) in &named {
            let Some(Resolution::Resolved(target)) = self.plans[from].resolve(imported) else {
                unreachable!("a resolved name");
            };
            imports.push((local.clone(), target));
        }
        self.plans[module].imports.extend(imports);
        Request::Import {
            from,
            default,
            namespace,
            named,
        }
    }

    /// Modules `module` reaches through static requests, itself included.
    fn static_closure(&self, module: usize) -> Vec<usize> {
        let mut seen = vec![module];
        let mut next = 0;
        while next < seen.len() {
            for request in &self.plans[seen[next]].requests {
                if !seen.contains(&request.from()) {
                    seen.push(request.from());
                }
            }
            next += 1;
        }
        seen
    }

    fn plan_dynamic_imports(&mut self, lazy: Option<usize>) {
        if !self.choices.chance(30) && lazy.is_none() {
            return;
        }
        // A module that reaches the entry cannot be imported while the entry awaits: it
        // would wait for the entry, which waits for it.
        let mut targets: Vec<usize> = (1..self.plans.len())
            .filter(|&module| !self.static_closure(module).contains(&0))
            .collect();
        if let Some(lazy) = lazy {
            if targets.contains(&lazy) {
                self.plans[0].dynamic.push(lazy);
            }
            targets.retain(|&module| module != lazy);
        }
        if !targets.is_empty() && self.choices.chance(50) {
            let target = *self.choices.pick(&targets);
            let position = self.choices.below(self.plans[0].dynamic.len() + 1);
            self.plans[0].dynamic.insert(position, target);
        }
    }

    /// Records each module's position in the evaluation order: depth first from the entry
    /// over each module's requests in source order (a module already entered is skipped, as
    /// in a cycle), then from each `await import()` target in turn.
    fn simulate_evaluation(&mut self) {
        fn visit(plans: &[Plan], module: usize, visiting: &mut Vec<bool>, order: &mut Vec<usize>) {
            if visiting[module] {
                return;
            }
            visiting[module] = true;
            for request in &plans[module].requests {
                visit(plans, request.from(), visiting, order);
            }
            order.push(module);
        }
        let mut visiting = vec![false; self.plans.len()];
        let mut order = Vec::new();
        visit(&self.plans, 0, &mut visiting, &mut order);
        for target in self.plans[0].dynamic.clone() {
            visit(&self.plans, target, &mut visiting, &mut order);
        }
        for (position, &module) in order.iter().enumerate() {
            self.plans[module].position = Some(position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_graph() {
        let first = generate(&mut Seeded::new(7));
        let second = generate(&mut Seeded::new(7));
        assert_eq!(first.modules, second.modules);
    }
}
