//! Declarations written where they are read (`--minify-syntax`), the link side (the parse
//! side is `parse::single_use`). A live item that declares a binding whose value may move
//! (`ItemFacts::movable`) is written in place of the binding's one read in the bundle, when
//! that read is in a slot of another live item (`ItemFacts::slot_reads`) and evaluates
//! after the declaration would have: the value is then made once, at the read, instead of
//! once before it. A value that only makes something new (a function, an object of
//! literals) reads nothing and runs nothing, so nothing can tell. A value that runs code (a
//! call) moves only when nothing between the declaration and the read runs any: the other
//! live items in between (`ItemFacts::runs_no_code`), and what the reading item evaluates
//! before the read; and when it reads none of its module's bindings declared after it
//! (which it would read before their declaration ran, and throw).
//!
//! A function declaration (its function exists before any code runs) moves to a read in a
//! slot too, wherever the two items are, and to a call anywhere in the reading item, even in
//! a function that runs many times (see `parse::single_use`): written there in parentheses,
//! `(function(...){...})(...)`, or as an arrow function. At a call in a nested scope of
//! another module, a binding of that scope could capture what the function refers to:
//! naming keeps names clear of the nested names of the modules that refer to a binding, and
//! counts the reader among those (`MovedIn::nested`), for what the function itself refers
//! to. So the function must refer to declarations only, no value may move into it in turn,
//! and no global its module reads may be a nested name of the reader.
//!
//! Both modules are ES modules the bundle runs eagerly, in no cycle of imports (which can
//! run a module's code before another that comes first), and but for a function, the
//! declaring module comes first in the execution order (or, in one module, the declaration
//! comes first). Neither an export of the entry nor a namespace object reads the binding,
//! and no other item does: all of those read it by its name; nor can a direct `eval`, in a
//! bundle without one. Not when functions keep their names (`--keep-names`, or identifiers
//! not minified: a function's `.name` comes from its binding) nor with code splitting (the
//! two modules could land in two chunks).

use rustc_hash::FxHashMap;

use super::{Binding, TreeShaker, module_exports};
use crate::{
    files::SourceFile,
    link::graph::{ExecutionStep, module_graph},
    parse::{ModuleKind, Movable, Name, module_scope_names},
};

/// What moves, per module (by index in the graph).
#[derive(Default)]
pub(super) struct Moves {
    /// Its items written elsewhere, ascending.
    pub moved_out: Vec<u32>,
    /// Its locals whose one read is replaced by the value an item of a module declares,
    /// sorted by local.
    pub moved_in: Vec<MovedIn>,
}

/// A local of a module whose one read is replaced by the value an item declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovedIn {
    /// The reading module's local name for the binding.
    pub local: Name,
    /// The module and the item that declares it.
    pub from: SourceFile,
    pub item: u32,
    /// The read is a call's callee: the value (a function) is written in parentheses.
    pub called: bool,
    /// ... in a nested scope of another module than the value's: naming keeps the names of
    /// the bindings the value refers to clear of that module's nested names too.
    pub nested: bool,
}

/// A declaration (module, item) written where an item (module, item) reads it, under the
/// reader's local name (and whether it calls it).
struct Move {
    from: (u32, u32),
    to: (u32, u32),
    local: Name,
    called: bool,
    /// In a nested scope of another module.
    nested: bool,
}

/// One read of a candidate declaration so far.
struct Reads {
    count: u32,
    /// The module and item that read it, and under which local name.
    reader: Option<(u32, u32, Name)>,
}

impl TreeShaker<'_> {
    /// Pairs each movable declaration with its one read (see the module's documentation).
    pub(super) fn single_use_moves(&mut self) -> Vec<Moves> {
        let mut moves: Vec<Moves> = (0..self.graph.modules.len())
            .map(|_| Moves::default())
            .collect();
        let db = self.db;
        // Without `--minify-syntax`, no item is movable.
        if crate::settings::keep_names(db)
            || self.config.splitting(db)
            || self.shapes.iter().any(|shape| shape.has_direct_eval)
        {
            return moves;
        }
        let eager_module = |shaker: &Self, module: u32| {
            let graph_module = &shaker.graph.modules[module as usize];
            !graph_module.is_lazy
                && !graph_module.in_cycle
                && shaker.shapes[module as usize].kind == ModuleKind::EsModule
        };
        // The candidates: live movable declarations of eager modules without a namespace
        // object, by module and the binding they declare.
        let mut candidates: FxHashMap<(u32, Name), (u32, Reads)> = FxHashMap::default();
        for module in 0..self.graph.modules.len() as u32 {
            if !eager_module(self, module) || self.namespaces[module as usize] {
                continue;
            }
            let facts = self.facts[module as usize];
            for (item, live) in self.live_items[module as usize].iter().enumerate() {
                let item_facts = &facts.items[item];
                if !*live || item_facts.movable == Movable::No || item_facts.constant.is_some() {
                    continue;
                }
                if let [declared] = item_facts.declares.as_slice() {
                    candidates.insert(
                        (module, declared.clone()),
                        (
                            item as u32,
                            Reads {
                                count: 0,
                                reader: None,
                            },
                        ),
                    );
                }
            }
        }
        if candidates.is_empty() {
            return moves;
        }
        // The entries' exports read theirs by name.
        for &entry in &self.graph.entries {
            for (_, binding) in &module_exports(db, self.config, entry).resolved {
                if let Binding::Symbol { module, local } = binding {
                    candidates.remove(&(self.index(*module), local.clone()));
                }
            }
        }
        // Every read by a live item (a member read through a namespace or an object counts
        // as two: it reads the binding by name).
        for module in 0..self.graph.modules.len() as u32 {
            let facts = self.facts[module as usize];
            let live: Vec<u32> = self.live_items[module as usize]
                .iter()
                .enumerate()
                .filter(|(_, live)| **live)
                .map(|(item, _)| item as u32)
                .collect();
            if live.is_empty() {
                continue;
            }
            let bindings = self.bindings(module);
            for item in live {
                let item_facts = &facts.items[item as usize];
                for name in &item_facts.references {
                    let target = match bindings.import(name) {
                        Some(Binding::Symbol { module, local }) => (self.index(*module), local),
                        Some(_) => continue,
                        None => (module, name),
                    };
                    let Some((_, reads)) = candidates.get_mut(&(target.0, target.1.clone())) else {
                        continue;
                    };
                    let repeated = item_facts
                        .repeated_references
                        .binary_search_by(|(repeated, _)| repeated.cmp(name))
                        .is_ok();
                    reads.count += if repeated { 2 } else { 1 };
                    reads.reader = Some((module, item, name.clone()));
                }
                for (namespace, member) in &item_facts.namespace_members {
                    if let Some((Binding::Symbol { module, local }, _)) =
                        self.member_read(bindings, namespace, member)
                        && let Some((_, reads)) =
                            candidates.get_mut(&(self.index(*module), local.clone()))
                    {
                        reads.count += 2;
                    }
                }
            }
        }
        if candidates.is_empty() {
            return moves;
        }
        // Where each module runs: the one thing tree shaking reads of the graph's order, and
        // only when a declaration may move (with `--minify-syntax`).
        let execution_order = &module_graph(db, self.config).execution_order;
        let mut position = vec![u32::MAX; self.graph.modules.len()];
        for (order, step) in execution_order.iter().enumerate() {
            if let ExecutionStep::Module(file) = step {
                position[self.index(*file) as usize] = order as u32;
            }
        }
        let mut candidates: Vec<((u32, Name), (u32, Reads))> = candidates.into_iter().collect();
        candidates.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Values that run code, by the item that reads them, with the place of the read in
        // its order of evaluation.
        let mut running: FxHashMap<(u32, u32), Vec<(u32, Move)>> = FxHashMap::default();
        for ((module, _), (item, reads)) in candidates {
            let (1, Some((reader_module, reader_item, local))) = (reads.count, reads.reader) else {
                continue;
            };
            if !eager_module(self, reader_module) {
                continue;
            }
            let reader_facts = &self.facts[reader_module as usize].items[reader_item as usize];
            if self.facts[module as usize].items[item as usize].movable == Movable::Function {
                if let Some(found) =
                    self.function_move((module, item), (reader_module, reader_item), local)
                {
                    self.record(&mut moves, found);
                }
                continue;
            }
            let runs_first = match module == reader_module {
                true => item < reader_item,
                false => position[module as usize] < position[reader_module as usize],
            };
            let Ok(slot) = reader_facts
                .slot_reads
                .binary_search_by(|(name, ..)| name.cmp(&local))
            else {
                continue;
            };
            let (_, code_before_read, order) = reader_facts.slot_reads[slot];
            if !runs_first {
                continue;
            }
            let found = Move {
                from: (module, item),
                to: (reader_module, reader_item),
                local,
                called: false,
                nested: false,
            };
            if self.facts[module as usize].items[item as usize].movable == Movable::Expression {
                if !code_before_read && self.reads_only_earlier_declarations(module, item) {
                    running
                        .entry((reader_module, reader_item))
                        .or_default()
                        .push((order, found));
                }
                continue;
            }
            self.record(&mut moves, found);
        }
        // A value that runs code moves when nothing between it and its read runs code but
        // values that move to later reads of the same item (which, declared after it, then
        // still run after it): decided from the last read back.
        let mut running: Vec<_> = running.into_iter().collect();
        running.sort_unstable_by_key(|(reader, _)| *reader);
        for (_, mut reads) in running {
            reads.sort_unstable_by_key(|(order, _)| std::cmp::Reverse(*order));
            let mut moving: Vec<(u32, u32)> = Vec::new();
            for (_, found) in reads {
                let declared_at = |(module, item): (u32, u32)| (position[module as usize], item);
                let in_order = moving
                    .iter()
                    .all(|&later| declared_at(found.from) < declared_at(later));
                if in_order
                    && self.no_code_runs_between(
                        found.from,
                        found.to,
                        execution_order,
                        &position,
                        &moving,
                    )
                {
                    moving.push(found.from);
                    self.record(&mut moves, found);
                }
            }
        }
        self.keep_nested_moves_whole(&mut moves);
        for module_moves in &mut moves {
            module_moves.moved_out.sort_unstable();
            module_moves
                .moved_in
                .sort_unstable_by(|a, b| a.local.cmp(&b.local));
        }
        moves
    }

    /// Where a function declaration `from` moves when item `to` has its one read, as
    /// `local`: in a slot, or at a call (in a nested scope of another module only when
    /// [`Self::may_nest_in`]).
    fn function_move(&self, from: (u32, u32), to: (u32, u32), local: Name) -> Option<Move> {
        if from == to {
            return None;
        }
        let reader = &self.facts[to.0 as usize].items[to.1 as usize];
        let in_slot = reader
            .slot_reads
            .binary_search_by(|(name, ..)| name.cmp(&local))
            .is_ok();
        let mut nested = false;
        if !in_slot {
            let call = reader
                .call_reads
                .binary_search_by(|(name, _)| name.cmp(&local))
                .ok()?;
            nested = reader.call_reads[call].1 && from.0 != to.0;
            if nested && !self.may_nest_in(from, to.0) {
                return None;
            }
        }
        Some(Move {
            from,
            to,
            local,
            called: !in_slot,
            nested,
        })
    }

    /// Whether function declaration `from` may be written in a nested scope of module
    /// `reader`: it refers to declarations only (directly or through imports; naming then
    /// keeps their names clear of the reader's nested names, see `MovedIn::nested`), none
    /// through a namespace or an object, and no global its module reads is a name bound in
    /// a nested scope of the reader.
    fn may_nest_in(&self, from: (u32, u32), reader: u32) -> bool {
        let item = &self.facts[from.0 as usize].items[from.1 as usize];
        if !item.namespace_members.is_empty() {
            return false;
        }
        let bindings = self.bindings[from.0 as usize];
        let declarations_only = item.references.iter().all(|name| {
            bindings.is_none_or(|bindings| {
                bindings
                    .import(name)
                    .is_none_or(|binding| matches!(binding, Binding::Symbol { .. }))
            })
        });
        if !declarations_only || bindings.is_none() {
            return false;
        }
        let file = |module: u32| self.graph.modules[module as usize].file;
        let globals = &module_scope_names(self.db, file(from.0)).globals;
        let nested = &module_scope_names(self.db, file(reader)).nested;
        !globals
            .iter()
            .any(|global| nested.binary_search(global).is_ok())
    }

    /// Takes back the moves into nested scopes of other modules of functions that values
    /// move into in turn: naming keeps names clear of the reader's nested names only for
    /// what the function itself refers to.
    fn keep_nested_moves_whole(&self, moves: &mut [Moves]) {
        let mut taken_back = Vec::new();
        for (reader, module_moves) in moves.iter().enumerate() {
            for moved in module_moves.moved_in.iter().filter(|moved| moved.nested) {
                let module = self.graph.index[&moved.from];
                let references = &self.facts[module as usize].items[moved.item as usize].references;
                let takes_values = moves[module as usize]
                    .moved_in
                    .iter()
                    .any(|inner| references.binary_search(&inner.local).is_ok());
                if takes_values {
                    taken_back.push((reader, module, moved.item));
                }
            }
        }
        for (reader, module, item) in taken_back {
            let file = self.graph.modules[module as usize].file;
            moves[reader]
                .moved_in
                .retain(|moved| !(moved.from == file && moved.item == item));
            moves[module as usize].moved_out.retain(|&out| out != item);
        }
    }

    fn record(&self, moves: &mut [Moves], found: Move) {
        let Move {
            from,
            to,
            local,
            called,
            nested,
        } = found;
        let file = self.graph.modules[from.0 as usize].file;
        moves[from.0 as usize].moved_out.push(from.1);
        moves[to.0 as usize].moved_in.push(MovedIn {
            local,
            from: file,
            item: from.1,
            called,
            nested,
        });
    }

    /// Whether item `item` of module `module` refers to none of its module's bindings
    /// declared by a later item (its imports come from modules that ran before it).
    fn reads_only_earlier_declarations(&mut self, module: u32, item: u32) -> bool {
        let facts = self.facts[module as usize];
        let bindings = self.bindings(module);
        facts.items[item as usize].references.iter().all(|name| {
            bindings.import(name).is_some()
                || facts
                    .declared_index(name)
                    .is_some_and(|symbol| facts.declared_by[symbol].1.iter().all(|&by| by < item))
        })
    }

    /// Whether no live item between `from` (a module and item) and `to` runs code, in the
    /// execution order: the items after `from` in its module, those of the modules that
    /// run in between (all eager ES modules, and no external), and those before `to`;
    /// but for the items of `moving`, which are written elsewhere. `position`: where each
    /// module is in `execution_order`.
    fn no_code_runs_between(
        &self,
        from: (u32, u32),
        to: (u32, u32),
        execution_order: &[ExecutionStep],
        position: &[u32],
        moving: &[(u32, u32)],
    ) -> bool {
        let quiet = |module: u32, mut items: std::ops::Range<usize>| {
            items.all(|item| {
                !self.live_items[module as usize][item]
                    || self.facts[module as usize].items[item].runs_no_code
                    || moving.contains(&(module, item as u32))
            })
        };
        let items = |module: u32| self.facts[module as usize].items.len();
        if from.0 == to.0 {
            return quiet(from.0, from.1 as usize + 1..to.1 as usize);
        }
        if !quiet(from.0, from.1 as usize + 1..items(from.0)) || !quiet(to.0, 0..to.1 as usize) {
            return false;
        }
        let (start, end) = (position[from.0 as usize], position[to.0 as usize]);
        execution_order[start as usize + 1..end as usize]
            .iter()
            .all(|step| match step {
                ExecutionStep::External(_) => false,
                ExecutionStep::Module(file) => {
                    let module = self.graph.index[file];
                    let graph_module = &self.graph.modules[module as usize];
                    !graph_module.is_lazy
                        && self.shapes[module as usize].kind == ModuleKind::EsModule
                        && quiet(module, 0..items(module))
                }
            })
    }
}
