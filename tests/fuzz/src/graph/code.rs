//! Writing the planned graph as JavaScript: each module's requests, declarations and
//! statements, with expressions over what is initialized at each point (see `usable`), and
//! the `report` every module registers for the entry to call at its end.

use super::*;

/// Something code can refer to at some point: `code` is how (`x`, `ns.x`, `ns["a b"]`).
#[derive(Clone, Debug)]
struct Handle {
    code: String,
    /// The identifier `code` starts with, which a nested declaration can shadow.
    root: String,
    target: Target,
    /// For a namespace: whether `Object.keys` works on it here.
    keys: bool,
}

/// An export or import name as written in a specifier: an identifier (reserved words are
/// fine there) or a string.
fn specifier_name(name: &str) -> String {
    if is_identifier(name) {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

fn member_access(name: &str) -> String {
    if is_identifier(name) {
        format!(".{name}")
    } else {
        format!("[{name:?}]")
    }
}

impl Generator<'_> {
    /// Whether code at the top level of `module` may read `id` once `initialized` (the
    /// module's own bindings whose declarations ran) holds.
    fn usable(&self, module: usize, id: usize, initialized: &[usize], deferred: bool) -> bool {
        if deferred {
            return true;
        }
        let binding = &self.bindings[id];
        if let Some(counter) = binding.counter {
            return self.usable(module, counter, initialized, deferred);
        }
        // Function declarations (a default one too) are initialized before any code runs.
        if binding.kind == Kind::PureFunction {
            return true;
        }
        if binding.declared == Declared::Var && binding.kind == Kind::Value {
            return true;
        }
        if binding.module == module {
            return initialized.contains(&id);
        }
        match (
            self.plans[binding.module].position,
            self.plans[module].position,
        ) {
            (Some(origin), Some(here)) => origin < here,
            _ => false,
        }
    }

    /// What code in `module` can refer to at this point.
    fn handles(&self, module: usize, initialized: &[usize], deferred: bool) -> Vec<Handle> {
        let mut handles = Vec::new();
        for &id in &self.plans[module].locals {
            if self.usable(module, id, initialized, deferred) {
                let name = self.bindings[id].local.clone().expect("a local name");
                handles.push(Handle {
                    code: name.clone(),
                    root: name,
                    target: Target::Binding(id),
                    keys: false,
                });
            }
        }
        if let Some(DefaultForm::Function(id) | DefaultForm::Class(id)) = self.plans[module].default
            && let Some(name) = &self.bindings[id].local
            && self.usable(module, id, initialized, deferred)
        {
            handles.push(Handle {
                code: name.clone(),
                root: name.clone(),
                target: Target::Binding(id),
                keys: false,
            });
        }
        for (local, target) in &self.plans[module].imports {
            self.push_handle(
                module,
                local,
                local,
                *target,
                initialized,
                deferred,
                0,
                &mut handles,
            );
        }
        handles
    }

    #[allow(clippy::too_many_arguments)]
    fn push_handle(
        &self,
        module: usize,
        code: &str,
        root: &str,
        target: Target,
        initialized: &[usize],
        deferred: bool,
        depth: usize,
        handles: &mut Vec<Handle>,
    ) {
        match target {
            Target::Binding(id) => {
                if self.usable(module, id, initialized, deferred) {
                    handles.push(Handle {
                        code: code.to_owned(),
                        root: root.to_owned(),
                        target,
                        keys: false,
                    });
                }
            }
            Target::Local => {}
            Target::Namespace(of) => {
                // `Object.keys` reads every member (for its enumerability): it throws while
                // one is uninitialized.
                let complete = self.plans[of]
                    .resolved()
                    .iter()
                    .all(|(_, member)| match member {
                        Target::Binding(id) => self.usable(module, *id, initialized, deferred),
                        Target::Namespace(_) | Target::Local => true,
                    });
                handles.push(Handle {
                    code: code.to_owned(),
                    root: root.to_owned(),
                    target,
                    keys: complete,
                });
                if depth < 2 {
                    for (name, member) in self.plans[of].resolved() {
                        let access = if self.computed_members && name.len() % 2 == 1 {
                            format!("[[{name:?}][0]]")
                        } else {
                            member_access(&name)
                        };
                        let code = format!("{code}{access}");
                        self.push_handle(
                            module,
                            &code,
                            root,
                            member,
                            initialized,
                            deferred,
                            depth + 1,
                            handles,
                        );
                    }
                }
            }
        }
    }

    fn literal(&mut self) -> String {
        match self.choices.below(6) {
            0 => format!("{:?}", *self.choices.pick(&["s", "t", "", "a b"])),
            _ => self.choices.below(20).to_string(),
        }
    }

    /// An expression (a number or a string) over `handles`.
    fn expression(&mut self, handles: &[Handle], keys: bool, depth: usize) -> String {
        if depth == 0 || handles.is_empty() || self.choices.chance(20) {
            return self.literal();
        }
        if self.choices.chance(20) {
            let op = *self.choices.pick(&["+", "-", "*"]);
            let left = self.expression(handles, keys, depth - 1);
            let right = self.expression(handles, keys, depth - 1);
            return format!("({left} {op} {right})");
        }
        let handle = self.choices.pick(handles).clone();
        match handle.target {
            Target::Local => handle.code,
            Target::Namespace(of) => {
                if keys && handle.keys && self.choices.chance(50) {
                    format!("Object.keys({}).join(\"|\")", handle.code)
                } else {
                    // `in` reads no value, so it works before the module ran; an ambiguous
                    // `export *` name is not in the namespace.
                    let mut names: Vec<String> = self.plans[of]
                        .table
                        .iter()
                        .map(|(name, _)| name.clone())
                        .collect();
                    names.push((*self.choices.pick(EXPORT_NAMES)).to_owned());
                    let name = self.choices.pick(&names).clone();
                    format!("({name:?} in {})", handle.code)
                }
            }
            Target::Binding(id) => match self.bindings[id].kind {
                // A shorthand property keeps its key when the binding is renamed.
                Kind::Value | Kind::Counter
                    if handle.code == handle.root && self.choices.chance(20) =>
                {
                    format!("JSON.stringify({{ {} }})", handle.code)
                }
                Kind::Value | Kind::Counter if self.choices.chance(10) => {
                    format!("`<${{{}}}>`", handle.code)
                }
                Kind::Value | Kind::Counter => handle.code,
                // verde keeps class names (`.name`) when it renames a class.
                Kind::Class if self.choices.chance(15) => format!("{}.name", handle.code),
                // An anonymous default function is called "default"; verde keeps that.
                Kind::PureFunction
                    if self.bindings[id].declared == Declared::Default
                        && self.choices.chance(20) =>
                {
                    format!("{}.name", handle.code)
                }
                Kind::PureFunction | Kind::Arrow => {
                    let argument = self.expression(handles, keys, depth - 1);
                    format!("{}({argument})", handle.code)
                }
                Kind::Mutator => format!("{}()", handle.code),
                Kind::Class => {
                    let argument = self.expression(handles, keys, depth - 1);
                    format!("new {}({argument}).get()", handle.code)
                }
            },
        }
    }

    fn label(&mut self, module: usize) -> String {
        self.labels += 1;
        format!("\"m{module}:{}\"", self.labels)
    }

    /// A nested name, and `handles` without what it shadows.
    fn shadow(&mut self, handles: &[Handle], avoid: &[String]) -> (String, Vec<Handle>) {
        let name = loop {
            let name = *self.choices.pick(NESTED_NAMES);
            if !avoid.iter().any(|n| n == name) {
                break name.to_owned();
            }
        };
        let remaining = handles.iter().filter(|h| h.root != name).cloned().collect();
        (name, remaining)
    }

    fn value_handle(name: &str) -> Handle {
        let root = name.split('.').next().unwrap_or(name);
        Handle {
            code: name.to_owned(),
            root: root.to_owned(),
            target: Target::Local,
            keys: false,
        }
    }

    fn handles_of_kind(&self, handles: &[Handle], kind: Kind) -> Vec<Handle> {
        handles
            .iter()
            .filter(|h| matches!(h.target, Target::Binding(id) if self.bindings[id].kind == kind))
            .cloned()
            .collect()
    }

    /// `Object.keys` is usable unless the module declares its own `Object`.
    fn keys_usable(&self, module: usize) -> bool {
        !self.plans[module].top_names.iter().any(|n| n == "Object")
    }

    pub(super) fn emit_module(&mut self, module: usize, top_level_await: bool) -> String {
        let mut out: Vec<String> = Vec::new();
        self.computed_members = self.choices.chance(25);
        let keys = self.keys_usable(module);
        let requests = self.plans[module].requests.clone();
        for request in &requests {
            let specifier = self.specifier(module, request.from());
            out.push(render_request(request, &specifier));
        }
        out.push(format!("console.log(\"m{module} runs\");"));
        if self.choices.chance(10) {
            // Module code is strict and its top-level `this` is undefined, in every format.
            let label = self.label(module);
            out.push(format!(
                "console.log({label}, typeof this, (function () {{ return typeof this; }})());"
            ));
        }
        if self.choices.chance(10) {
            // A node built-in: always external, with CommonJS interop in the bundle.
            let separator = self.top_name(module, &["sep", "path", "exports", "module"]);
            let path = self.top_name(module, &["path", "sep", "require", "ns"]);
            let label = self.label(module);
            out.insert(
                0,
                format!("import {path}, {{ sep as {separator} }} from \"node:path\";"),
            );
            out.push(format!(
                "console.log({label}, {separator}, {path}.sep, typeof {path}.join);"
            ));
        }
        if self.json_importer == Some(module) {
            // A JSON module: a default export, whatever its keys.
            let data = self.top_name(module, &["data", "json", "exports", "value"]);
            let specifier = if self.in_lib[module] {
                "../data.json"
            } else {
                "./data.json"
            };
            let label = self.label(module);
            out.insert(
                0,
                format!("import {data} from {specifier:?} with {{ type: \"json\" }};"),
            );
            let keys = if keys {
                format!("Object.keys({data}).join(\"|\")")
            } else {
                "0".to_owned()
            };
            out.push(format!(
                "console.log({label}, JSON.stringify({data}), {keys});"
            ));
        }
        let mut initialized: Vec<usize> = Vec::new();
        let locals = self.plans[module].locals.clone();
        for &id in &locals {
            for _ in 0..self.choices.below(3) {
                self.statement(module, &initialized, keys, &mut out);
            }
            let handles = self.handles(module, &initialized, false);
            let declaration = self.declaration(module, id, &handles, keys);
            out.push(declaration);
            initialized.push(id);
        }
        if let Some(default) = self.plans[module].default {
            let handles = self.handles(module, &initialized, false);
            out.push(self.default_export(module, default, &handles, keys));
            if let DefaultForm::Expression(id) | DefaultForm::Class(id) = default {
                initialized.push(id);
            }
        }
        for _ in 0..self.choices.between(1, 3) {
            self.statement(module, &initialized, keys, &mut out);
        }
        let exports: Vec<String> = self.plans[module]
            .exports
            .iter()
            .filter(|(_, _, inline)| !inline)
            .map(|(id, name, _)| {
                let local = self.bindings[*id].local.clone().expect("a local");
                if local == *name {
                    local
                } else {
                    format!("{local} as {}", specifier_name(name))
                }
            })
            .collect();
        if !exports.is_empty() {
            out.push(format!("export {{ {} }};", exports.join(", ")));
        }
        // The report: runs after everything, reads anything.
        let handles = self.handles(module, &initialized, true);
        let (local, shadowed) = self.shadow(&handles, &[]);
        // The nested name is in its temporal dead zone in its own initializer.
        let first = self.expression(&shadowed, keys, 3);
        let mut inner = shadowed;
        inner.push(Self::value_handle(&local));
        let second = self.expression(&inner, keys, 3);
        let third = self.expression(&inner, keys, 2);
        out.push(format!(
            "function report() {{\n  const {local} = {first};\n  console.log(\"m{module} report\", {local}, {second}, {third});\n}}"
        ));
        out.push("(globalThis.__reports ??= []).push(report);".to_owned());
        if module == 0 {
            if top_level_await && self.plans[0].dynamic.is_empty() {
                let handles = self.handles(module, &initialized, false);
                let value = self.expression(&handles, keys, 2);
                out.push(format!("console.log(\"m0 awaits\", await {value});"));
            }
            for target in self.plans[0].dynamic.clone() {
                let local = self.top_name(0, &["loaded", "lazy", "dynamic"]);
                let specifier = self.specifier(0, target);
                out.push(format!("const {local} = await import({specifier});"));
                let mut handles = Vec::new();
                self.push_handle(
                    0,
                    &local,
                    &local,
                    Target::Namespace(target),
                    &[],
                    true,
                    0,
                    &mut handles,
                );
                let first = self.expression(&handles, keys, 2);
                let second = self.expression(&handles, keys, 2);
                out.push(format!(
                    "console.log(\"m0 imported m{target}\", {first}, {second});"
                ));
            }
            out.push("for (const report of globalThis.__reports) report();".to_owned());
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }

    /// A top-level statement that is not a declaration of a planned binding.
    fn statement(
        &mut self,
        module: usize,
        initialized: &[usize],
        keys: bool,
        out: &mut Vec<String>,
    ) {
        let handles = self.handles(module, initialized, false);
        let label = self.label(module);
        match self.choices.weighted(&[40, 15, 10, 15, 10, 5, 10]) {
            0 => {
                let first = self.expression(&handles, keys, 3);
                let second = self.expression(&handles, keys, 2);
                out.push(format!("console.log({label}, {first}, {second});"));
            }
            1 => {
                // A block whose `const` shadows a top-level or imported name.
                let (local, shadowed) = self.shadow(&handles, &[]);
                let value = self.expression(&shadowed, keys, 2);
                let mut inner = shadowed;
                inner.push(Self::value_handle(&local));
                let used = self.expression(&inner, keys, 2);
                out.push(format!(
                    "{{\n  const {local} = {value};\n  console.log({label}, {local}, {used});\n}}"
                ));
            }
            2 => {
                let (local, shadowed) = self.shadow(&handles, &[]);
                let mut inner = shadowed;
                inner.push(Self::value_handle(&local));
                let used = self.expression(&inner, keys, 2);
                out.push(format!(
                    "for (let {local} = 0; {local} < 2; {local}++) {{\n  console.log({label}, {local}, {used});\n}}"
                ));
            }
            3 => {
                // A declaration nobody reads whose initializer has a side effect: tree
                // shaking must keep it.
                let mutators = self.handles_of_kind(&handles, Kind::Mutator);
                if mutators.is_empty() {
                    let value = self.expression(&handles, keys, 2);
                    out.push(format!("console.log({label}, {value});"));
                    return;
                }
                let mutator = self.choices.pick(&mutators).code.clone();
                let name = self.top_name(module, TOP_NAMES);
                match self.choices.below(3) {
                    0 => out.push(format!("const {name} = {mutator}();")),
                    1 => out.push(format!("class {name} {{ static tag = {mutator}(); }}")),
                    _ => out.push(format!("{mutator}();")),
                }
            }
            4 => {
                // A `var` in a block hoists to the module scope.
                let name = self.top_name(module, TOP_NAMES);
                let value = self.expression(&handles, keys, 2);
                out.push(format!(
                    "console.log({label}, typeof {name});\nif ({value} !== null) {{\n  var {name} = 1;\n}}\nconsole.log({label}, {name});"
                ));
            }
            6 => {
                // A label spelled like a binding: labels are not renamed with bindings.
                let label_name = *self.choices.pick(NESTED_NAMES);
                let value = self.expression(&handles, keys, 2);
                out.push(format!(
                    "{label_name}: for (let i = 0; i < 3; i++) {{\n  if (i === 1) continue {label_name};\n  console.log({label}, i, {value});\n}}"
                ));
            }
            _ => {
                // A function declared in the middle, called at once: closures over imports.
                let (parameter, shadowed) = self.shadow(&handles, &[]);
                let mut inner = shadowed;
                inner.push(Self::value_handle(&parameter));
                let body = self.expression(&inner, keys, 2);
                let name = self.top_name(module, TOP_NAMES);
                let argument = self.expression(&handles, keys, 1);
                out.push(format!(
                    "function {name}({parameter}) {{\n  return {body};\n}}\nconsole.log({label}, {name}({argument}));"
                ));
            }
        }
    }

    fn export_prefix(&self, module: usize, id: usize) -> &'static str {
        if self.plans[module]
            .exports
            .iter()
            .any(|(binding, _, inline)| *binding == id && *inline)
        {
            "export "
        } else {
            ""
        }
    }

    fn declaration(&mut self, module: usize, id: usize, handles: &[Handle], keys: bool) -> String {
        let binding = self.bindings[id].clone();
        let name = binding.local.clone().expect("a local name");
        let export = self.export_prefix(module, id);
        let keyword = match binding.declared {
            Declared::Const => "const",
            Declared::Let => "let",
            _ => "var",
        };
        match binding.kind {
            Kind::Value => {
                let value = self.expression(handles, keys, 3);
                match self.choices.below(4) {
                    0 => format!("{export}{keyword} [{name}] = [{value}];"),
                    1 => format!("{export}{keyword} {{ k: {name} = 5 }} = {{ k: {value} }};"),
                    _ => format!("{export}{keyword} {name} = {value};"),
                }
            }
            Kind::Counter => {
                let start = self.choices.below(10);
                format!("{export}{keyword} {name} = {start};")
            }
            Kind::Mutator => {
                let counter = binding.counter.expect("a counter");
                let counter = self.bindings[counter].local.clone().expect("a name");
                let step = self.choices.between(1, 5);
                format!(
                    "{export}function {name}() {{\n  {counter} += {step};\n  return {counter};\n}}"
                )
            }
            Kind::PureFunction => self.pure_function(&format!("{export}function {name}")),
            Kind::Arrow => {
                let (parameter, shadowed) = self.shadow(handles, &[]);
                let mut inner = shadowed;
                inner.push(Self::value_handle(&parameter));
                let body = self.expression(&inner, keys, 2);
                format!("{export}{keyword} {name} = ({parameter}) => {body};")
            }
            Kind::Class => self.class(module, &format!("{export}class {name}"), handles, keys),
        }
    }

    fn pure_function(&mut self, head: &str) -> String {
        let (parameter, _) = self.shadow(&[], &[]);
        let (local, _) = self.shadow(&[], std::slice::from_ref(&parameter));
        let factor = self.choices.between(1, 4);
        let offset = self.choices.below(10);
        format!(
            "{head}({parameter}) {{\n  const {local} = {parameter} * {factor};\n  {{\n    let {parameter} = {offset};\n    return {local} + {parameter};\n  }}\n}}"
        )
    }

    fn class(&mut self, module: usize, head: &str, handles: &[Handle], keys: bool) -> String {
        let bases = self.handles_of_kind(handles, Kind::Class);
        let base = (!bases.is_empty() && self.choices.chance(40))
            .then(|| self.choices.pick(&bases).code.clone());
        let (parameter, shadowed) = self.shadow(handles, &[]);
        let offset = self.choices.below(10);
        let tag = self.expression(handles, keys, 2);
        let mut inner = shadowed;
        inner.push(Self::value_handle("this.v"));
        let method = self.expression(&inner, keys, 2);
        let mut members = vec![format!("static tag = {tag};")];
        if self.choices.chance(25) {
            // A static block runs where the class is declared, like the static fields.
            let label = self.label(module);
            let value = self.expression(handles, keys, 2);
            members.push(format!(
                "static {{\n    console.log({label}, {value});\n  }}"
            ));
        }
        let secret = self.choices.chance(30);
        if secret {
            members.push(format!("#secret = {};", self.choices.below(10)));
        }
        let secret = if secret { " + this.#secret" } else { "" };
        let (extends, constructor, get) = match base {
            Some(base) => (
                format!(" extends {base}"),
                format!("super({parameter});\n    this.w = {parameter} + {offset};"),
                format!("return super.get() + this.w{secret} + {method};"),
            ),
            None => (
                String::new(),
                format!("this.v = {parameter} + {offset};"),
                format!("return this.v{secret} + {method};"),
            ),
        };
        members.push(format!(
            "constructor({parameter}) {{\n    {constructor}\n  }}"
        ));
        members.push(format!("get() {{\n    {get}\n  }}"));
        format!("{head}{extends} {{\n  {}\n}}", members.join("\n  "))
    }

    fn default_export(
        &mut self,
        module: usize,
        default: DefaultForm,
        handles: &[Handle],
        keys: bool,
    ) -> String {
        match default {
            DefaultForm::Expression(_) => {
                // `export default count` exports the value now; later changes to `count`
                // do not show through (unlike `export { count as default }`).
                let names: Vec<&Handle> = handles
                    .iter()
                    .filter(|h| {
                        h.code == h.root
                            && matches!(h.target, Target::Binding(id) if matches!(self.bindings[id].kind, Kind::Value | Kind::Counter))
                    })
                    .collect();
                let value = if !names.is_empty() && self.choices.chance(50) {
                    self.choices.pick(&names).code.clone()
                } else {
                    self.expression(handles, keys, 3)
                };
                format!("export default {value};")
            }
            DefaultForm::Function(id) => {
                let name = self.bindings[id].local.clone().unwrap_or_default();
                let head = if name.is_empty() {
                    "export default function ".to_owned()
                } else {
                    format!("export default function {name}")
                };
                self.pure_function(&head)
            }
            DefaultForm::Class(id) => {
                let name = self.bindings[id].local.clone().unwrap_or_default();
                let head = if name.is_empty() {
                    "export default class".to_owned()
                } else {
                    format!("export default class {name}")
                };
                self.class(module, &head, handles, keys)
            }
            DefaultForm::Local(id) => {
                let local = self.bindings[id].local.clone().expect("a local");
                let _ = module;
                format!("export {{ {local} as default }};")
            }
        }
    }
}

fn render_request(request: &Request, from: &str) -> String {
    match request {
        Request::Import {
            default,
            namespace,
            named,
            ..
        } => {
            let mut parts = Vec::new();
            if let Some(default) = default {
                parts.push(default.clone());
            }
            if let Some(namespace) = namespace {
                parts.push(format!("* as {namespace}"));
            }
            if !named.is_empty() {
                let items: Vec<String> = named
                    .iter()
                    .map(|(imported, local)| {
                        if imported == local {
                            local.clone()
                        } else {
                            format!("{} as {local}", specifier_name(imported))
                        }
                    })
                    .collect();
                parts.push(format!("{{ {} }}", items.join(", ")));
            }
            format!("import {} from {from};", parts.join(", "))
        }
        Request::Bare(_) => format!("import {from};"),
        Request::ReexportNamed { items, .. } => {
            let items: Vec<String> = items
                .iter()
                .map(|(imported, exported)| {
                    if imported == exported {
                        specifier_name(imported)
                    } else {
                        format!(
                            "{} as {}",
                            specifier_name(imported),
                            specifier_name(exported)
                        )
                    }
                })
                .collect();
            format!("export {{ {} }} from {from};", items.join(", "))
        }
        Request::ReexportAll(_) => format!("export * from {from};"),
        Request::ReexportNamespace { name, .. } => {
            format!("export * as {} from {from};", specifier_name(name))
        }
        Request::ImportThenExport {
            imported,
            local,
            exported,
            ..
        } => {
            let exported = if exported == local {
                local.clone()
            } else {
                format!("{local} as {}", specifier_name(exported))
            };
            format!(
                "import {{ {} as {local} }} from {from};\nexport {{ {exported} }};",
                specifier_name(imported)
            )
        }
    }
}
