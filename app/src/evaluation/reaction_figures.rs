//! Level 1 figures, as pure functions: the default form, an item's mean and
//! distribution, the reaction index, and when a group's figures may be shown.

use crate::domain::ReactionKind;

/// The default reaction form, copied into a course when it is first needed:
/// the built-in items' names (their wording is in the locales) and kinds.
pub const DEFAULT_FORM: &[(&str, ReactionKind)] = &[
    ("overall", ReactionKind::Scale),
    ("relevance", ReactionKind::Scale),
    ("trainer", ReactionKind::Scale),
    ("materials", ReactionKind::Scale),
    ("pace", ReactionKind::Scale),
    ("intent", ReactionKind::Scale),
    ("confidence", ReactionKind::Scale),
    ("recommend", ReactionKind::Recommend),
    ("improve", ReactionKind::Text),
    ("comments", ReactionKind::Text),
];

/// Which of a course's sessions may show their figures, given the course's
/// answers (`total`) and each session's (`parts`): each needs the threshold
/// itself, and the answers outside the shown sessions must be none or at least
/// the threshold too — else subtracting the shown sessions from the course
/// would give away a small group's answers. The smallest shown sessions are
/// hidden until that holds.
pub fn sessions_shown(total: usize, parts: &[usize], threshold: usize) -> Vec<bool> {
    if !group_shown(total, threshold) {
        return vec![false; parts.len()];
    }
    let mut shown: Vec<bool> = parts.iter().map(|n| group_shown(*n, threshold)).collect();
    loop {
        let inside: usize = parts
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(n, _)| n)
            .sum();
        let rest = total.saturating_sub(inside);
        if rest == 0 || rest >= threshold {
            return shown;
        }
        let smallest = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| shown[*i])
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match smallest {
            Some(i) => shown[i] = false,
            None => return shown,
        }
    }
}

/// Whether an item's key names a default item, whose wording the locales give
/// (so a blank prompt shows it); an item the office or a trainer added has
/// only its own prompt.
pub fn has_default_wording(key: Option<&str>) -> bool {
    key.is_some_and(|k| DEFAULT_FORM.iter().any(|(name, _)| *name == k))
}

/// The built-in item whose mean stands for a session's overall satisfaction.
pub const OVERALL: &str = "overall";

pub fn mean(scores: &[i32]) -> Option<f64> {
    (!scores.is_empty())
        .then(|| scores.iter().map(|s| f64::from(*s)).sum::<f64>() / scores.len() as f64)
}

/// How many gave each answer from `low` to `high`.
pub fn distribution(scores: &[i32], (low, high): (i32, i32)) -> Vec<(i32, usize)> {
    (low..=high)
        .map(|v| (v, scores.iter().filter(|s| **s == v).count()))
        .collect()
}

/// The reaction index on the 0–10 recommend item: the percentage who answered
/// 9 or 10 minus the percentage who answered 0 to 6, from −100 to 100 (7 and 8
/// count in the total only). `None` without answers.
pub fn reaction_index(scores: &[i32]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    let high = scores.iter().filter(|s| **s >= 9).count() as f64;
    let low = scores.iter().filter(|s| **s <= 6).count() as f64;
    Some(100.0 * (high - low) / n)
}

/// A group's figures and comments are shown only once at least `threshold`
/// learners answered: in a smaller group a mean, a bar of one or a comment can
/// be traced back to the person who gave it.
pub fn group_shown(answered: usize, threshold: usize) -> bool {
    answered > 0 && answered >= threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reaction_index_on_hand_computed_cases() {
        // 3 of 10 at 9–10, 2 of 10 at 0–6: 30 − 20.
        let scores = [10, 9, 9, 8, 8, 7, 7, 7, 6, 0];
        assert_eq!(reaction_index(&scores), Some(10.0));
        assert_eq!(reaction_index(&[10, 10]), Some(100.0));
        assert_eq!(reaction_index(&[0, 6, 3]), Some(-100.0));
        // 7s and 8s only: neither side.
        assert_eq!(reaction_index(&[7, 8, 8]), Some(0.0));
        // 1 of 3 each side.
        assert_eq!(reaction_index(&[9, 8, 6]), Some(0.0));
        assert_eq!(reaction_index(&[]), None);
    }

    #[test]
    fn means_and_distributions() {
        assert_eq!(mean(&[4, 5, 3]), Some(4.0));
        assert_eq!(mean(&[]), None);
        assert_eq!(
            distribution(&[4, 5, 4, 1], (1, 5)),
            vec![(1, 1), (2, 0), (3, 0), (4, 2), (5, 1)]
        );
        assert_eq!(distribution(&[], (0, 10)).len(), 11);
    }

    #[test]
    fn groups_wait_for_the_threshold() {
        assert!(!group_shown(2, 3));
        assert!(group_shown(3, 3));
        assert!(group_shown(1, 1));
        assert!(!group_shown(0, 1));
    }

    #[test]
    fn no_small_group_is_left_to_subtraction() {
        // One session of 5 and a lone completer: the course less the session
        // would be the completer's answers.
        assert_eq!(sessions_shown(6, &[5], 5), vec![false]);
        // 6 and 4: the course less the first is the second, hidden itself.
        assert_eq!(sessions_shown(10, &[6, 4], 5), vec![false, false]);
        // 6 and 5 with 4 elsewhere: hiding the 5 leaves 9 outside, enough.
        assert_eq!(sessions_shown(15, &[6, 5], 5), vec![true, false]);
        // Nothing outside, or enough outside: every large session shows.
        assert_eq!(sessions_shown(12, &[6, 6], 5), vec![true, true]);
        assert_eq!(sessions_shown(17, &[6, 6], 5), vec![true, true]);
        // A small course shows no session.
        assert_eq!(sessions_shown(4, &[4], 5), vec![false]);
        assert_eq!(sessions_shown(0, &[], 3), Vec::<bool>::new());
    }

    #[test]
    fn only_default_items_have_a_wording_of_their_own() {
        assert!(has_default_wording(Some("overall")));
        assert!(has_default_wording(Some("comments")));
        assert!(!has_default_wording(Some("office-0123456789ab")));
        assert!(!has_default_wording(None));
    }

    #[test]
    fn the_default_form_has_one_recommend_item_and_names_each_item_once() {
        let recommend = DEFAULT_FORM
            .iter()
            .filter(|(_, k)| *k == ReactionKind::Recommend)
            .count();
        assert_eq!(recommend, 1);
        let mut names: Vec<&str> = DEFAULT_FORM.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DEFAULT_FORM.len());
        assert!(names.contains(&OVERALL));
    }
}
