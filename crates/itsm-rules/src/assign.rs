//! Assignment strategies as pure functions. Ties are broken by load, then by the order the
//! candidates are given in, so the same inputs always pick the same person.

use std::collections::BTreeMap;

use crate::spec::Member;

/// Round robin: the candidate after `last` (wrapping), or the first when `last` is `None`
/// or not among them. Returns the pick, which is the state to pass next time.
///
/// ```
/// let team = ["ana", "bo", "cy"];
/// let first = itsm_rules::round_robin(&team, None);
/// assert_eq!(first, Some("ana"));
/// assert_eq!(itsm_rules::round_robin(&team, first), Some("bo"));
/// assert_eq!(itsm_rules::round_robin(&team, Some("cy")), Some("ana"));
/// assert_eq!(itsm_rules::round_robin::<&str>(&[], None), None);
/// ```
pub fn round_robin<'a, T: AsRef<str>>(candidates: &'a [T], last: Option<&str>) -> Option<&'a str> {
    let next = last
        .and_then(|l| candidates.iter().position(|c| c.as_ref() == l))
        .map_or(0, |i| i.saturating_add(1));
    candidates
        .get(next)
        .or_else(|| candidates.first())
        .map(AsRef::as_ref)
}

/// Least loaded: the candidate with the smallest load (missing from `loads`: 0); ties go to
/// the earlier candidate.
///
/// ```
/// use std::collections::BTreeMap;
///
/// let loads = BTreeMap::from([("ana".to_owned(), 3), ("bo".to_owned(), 1), ("cy".to_owned(), 1)]);
/// assert_eq!(itsm_rules::least_loaded(&["ana", "bo", "cy"], &loads), Some("bo"));
/// ```
pub fn least_loaded<'a, T: AsRef<str>>(
    candidates: &'a [T],
    loads: &BTreeMap<String, u32>,
) -> Option<&'a str> {
    candidates
        .iter()
        .map(AsRef::as_ref)
        .enumerate()
        .min_by_key(|(i, c)| (loads.get(*c).copied().unwrap_or(0), *i))
        .map(|(_, c)| c)
}

/// Skills match: among the members having every skill in `required`, the least loaded
/// (ties: the earlier member); `None` when nobody has them all.
///
/// ```
/// use std::collections::BTreeMap;
/// use itsm_rules::Member;
///
/// let team = [Member::new("ana", &["network"]), Member::new("bo", &["network", "linux"])];
/// let loads = BTreeMap::new();
/// assert_eq!(itsm_rules::skills_match(&team, &["linux".to_owned()], &loads), Some("bo"));
/// assert_eq!(itsm_rules::skills_match(&team, &["sap".to_owned()], &loads), None);
/// ```
pub fn skills_match<'a>(
    members: &'a [Member],
    required: &[String],
    loads: &BTreeMap<String, u32>,
) -> Option<&'a str> {
    members
        .iter()
        .enumerate()
        .filter(|(_, m)| required.iter().all(|s| m.skills.contains(s)))
        .min_by_key(|(i, m)| (loads.get(&m.person).copied().unwrap_or(0), *i))
        .map(|(_, m)| m.person.as_str())
}
