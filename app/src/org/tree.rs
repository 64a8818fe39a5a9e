//! The org tree as plain data: subtrees and display order, no I/O.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

/// All units at or below `root`, given `(unit, parent)` pairs.
pub fn subtree(units: &[(Uuid, Option<Uuid>)], root: Uuid) -> HashSet<Uuid> {
    let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (id, parent) in units {
        if let Some(p) = parent {
            children.entry(*p).or_default().push(*id);
        }
    }
    let mut seen = HashSet::from([root]);
    let mut stack = vec![root];
    while let Some(u) = stack.pop() {
        for c in children.get(&u).into_iter().flatten() {
            if seen.insert(*c) {
                stack.push(*c);
            }
        }
    }
    seen
}

/// True if making `parent` the parent of `unit` would close a loop.
pub fn would_cycle(units: &[(Uuid, Option<Uuid>)], unit: Uuid, parent: Uuid) -> bool {
    subtree(units, unit).contains(&parent)
}

/// Units in tree order (parents before children, siblings by name) with their depth.
pub fn ordered<T>(
    units: Vec<T>,
    id: impl Fn(&T) -> Uuid,
    parent: impl Fn(&T) -> Option<Uuid>,
    name: impl Fn(&T) -> String,
) -> Vec<(usize, T)> {
    let ids: HashSet<Uuid> = units.iter().map(&id).collect();
    let mut by_parent: HashMap<Option<Uuid>, Vec<T>> = HashMap::new();
    for u in units {
        // A parent outside the list (e.g. filtered out) makes the unit a root here.
        let p = parent(&u).filter(|p| ids.contains(p));
        by_parent.entry(p).or_default().push(u);
    }
    for list in by_parent.values_mut() {
        list.sort_by_key(|u| name(u));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(usize, T)> = by_parent
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|u| (0, u))
        .collect();
    while let Some((depth, u)) = stack.pop() {
        let kids = by_parent.remove(&Some(id(&u))).unwrap_or_default();
        out.push((depth, u));
        stack.extend(kids.into_iter().rev().map(|k| (depth + 1, k)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn subtree_includes_descendants_only() {
        // 1 ─┬─ 2 ── 4
        //    └─ 3
        // 5 (separate root)
        let units = [
            (id(1), None),
            (id(2), Some(id(1))),
            (id(3), Some(id(1))),
            (id(4), Some(id(2))),
            (id(5), None),
        ];
        assert_eq!(
            subtree(&units, id(1)),
            HashSet::from([id(1), id(2), id(3), id(4)])
        );
        assert_eq!(subtree(&units, id(2)), HashSet::from([id(2), id(4)]));
        assert_eq!(subtree(&units, id(5)), HashSet::from([id(5)]));
        assert!(would_cycle(&units, id(1), id(4)));
        assert!(would_cycle(&units, id(2), id(2)));
        assert!(!would_cycle(&units, id(4), id(3)));
    }

    #[test]
    fn tree_order_puts_children_under_parents() {
        let units = vec![
            (id(3), Some(id(1)), "b"),
            (id(1), None, "root"),
            (id(2), Some(id(1)), "a"),
            (id(4), Some(id(2)), "x"),
        ];
        let order: Vec<(usize, u128)> = ordered(units, |u| u.0, |u| u.1, |u| u.2.to_string())
            .into_iter()
            .map(|(d, u)| (d, u.0.as_u128()))
            .collect();
        assert_eq!(order, vec![(0, 1), (1, 2), (2, 4), (1, 3)]);
    }
}
