//! Large catalogues get the same answers as small ones, in time linear-logarithmic in their
//! size: thousands of items, variables, bundle lines and answers. (Each check used to scan
//! what came before: 40,000 bundle lines took 13 s to check, and 4,000 unknown answers
//! made 140 MB of messages, each listing every variable.) No timing here: the answers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use itsm_catalogue::{
    BundleLine, BundleSpec, Catalogue, CatalogueSpec, Condition, Error, ItemSpec, TaskSpec, Value,
    Variable, VariableKind,
};

const N: usize = 3_000;

fn item(i: usize) -> ItemSpec {
    let mut item = ItemSpec::new(format!("item{i}"), TaskSpec::new("do", "Do it"));
    item.variables = vec![Variable::new("v", VariableKind::Text)];
    item
}

#[test]
fn a_catalogue_of_thousands_of_items_and_bundle_lines_checks_every_line() {
    let mut items: Vec<ItemSpec> = (0..N).map(item).collect();
    // One item with thousands of variables, each shown when the one before is set.
    let mut wide = ItemSpec::new("wide", TaskSpec::new("do", "Do it"));
    wide.variables = (0..N)
        .map(|i| {
            let mut v = Variable::new(format!("w{i}"), VariableKind::Text);
            if i > 0 {
                v.visible_when = Some(Condition::IsSet(format!("w{}", i - 1)));
            }
            v
        })
        .collect();
    items.push(wide);
    let line = |i: usize, var: &str| {
        let mut l = BundleLine::new(format!("item{i}"));
        l.answers.insert(var.to_owned(), Value::Text("x".into()));
        l
    };
    let mut spec = CatalogueSpec::new(items.clone());
    spec.bundles = vec![BundleSpec::new("all", (0..N).map(|i| line(i, "v")))];
    let catalogue = Catalogue::new(spec).unwrap();
    assert_eq!(
        catalogue.item(&format!("item{}", N - 1)).unwrap().name,
        "item2999"
    );
    assert!(catalogue.item("item3000").is_none());
    assert_eq!(catalogue.item("wide").unwrap().variables.len(), N);

    // A bundle with a line to a missing item and one to a missing variable: each named.
    let mut spec = CatalogueSpec::new(items);
    let mut lines: Vec<BundleLine> = (0..N).map(|i| line(i, "v")).collect();
    lines.push(BundleLine::new("item-missing"));
    lines.push(line(17, "nope"));
    spec.bundles = vec![BundleSpec::new("all", lines)];
    let Err(Error::InvalidCatalogue { problems }) = Catalogue::new(spec) else {
        panic!("refused")
    };
    assert_eq!(
        problems,
        [
            "bundle `all` names item `item-missing`, which is not in the catalogue",
            "bundle `all`: item `item17` has no variable `nope`",
        ]
    );

    // Thousands of answers, known and unknown: every unknown one is an error, and each
    // message lists twenty of the variables and says how many more there are.
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    for i in 0..N {
        answers.insert(format!("w{i}"), Value::Text("x".into()));
    }
    for i in 0..200 {
        answers.insert(format!("u{i}"), Value::Text("x".into()));
    }
    let Err(Error::InvalidOrder { errors }) = catalogue.validate("wide", &answers) else {
        panic!("unknown answers are refused")
    };
    assert_eq!(errors.len(), 200);
    let message = errors[0].to_string();
    assert!(message.contains("`w19`, and 2980 more"), "{message}");
    assert!(!message.contains("`w20`"), "{message}");
    assert!(message.len() < 600, "{}", message.len());
    // Without them, every answer is kept.
    answers.retain(|k, _| k.starts_with('w'));
    assert_eq!(catalogue.validate("wide", &answers).unwrap().len(), N);
}

#[test]
fn many_options_chosen_at_once_are_checked_by_lookup() {
    let options: Vec<String> = (0..N).map(|i| format!("o{i}")).collect();
    let mut item = ItemSpec::new("multi", TaskSpec::new("do", "Do it"));
    item.variables = vec![Variable::new(
        "pick",
        VariableKind::MultiChoice(options.clone()),
    )];
    let catalogue = Catalogue::new(CatalogueSpec::new([item])).unwrap();
    let all = BTreeMap::from([(
        "pick".to_owned(),
        Value::List(options.iter().rev().cloned().collect()),
    )]);
    assert_eq!(catalogue.validate("multi", &all).unwrap().len(), 1);
    let mut bad = options.clone();
    bad.push("o-none".into());
    let bad = BTreeMap::from([("pick".to_owned(), Value::List(bad))]);
    let Err(Error::InvalidOrder { errors }) = catalogue.validate("multi", &bad) else {
        panic!("an option not offered is refused")
    };
    let message = errors[0].to_string();
    assert!(message.contains("`o-none` is not an option"), "{message}");
    assert!(message.contains("and 2980 more"), "{message}");
}

/// A visibility condition nested a million deep (built in code) is refused when the
/// catalogue is loaded, and the refused catalogue is dropped, on a thread with a 256 kB
/// stack: dropping used to take one call per level and aborted the process at a few
/// thousand.
#[test]
fn a_million_deep_visibility_condition_is_refused_on_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let mut c = Condition::IsSet("a".into());
            for i in 0..1_000_000 {
                c = if i % 3 == 0 {
                    Condition::Any(vec![c])
                } else {
                    Condition::Not(Box::new(c))
                };
            }
            let mut shown = Variable::new("b", VariableKind::Text);
            shown.visible_when = Some(c);
            let mut item = ItemSpec::new("it", TaskSpec::new("t", "T"));
            item.variables = vec![Variable::new("a", VariableKind::Text), shown];
            let Err(Error::InvalidCatalogue { problems }) =
                Catalogue::new(CatalogueSpec::new([item]))
            else {
                panic!("refused")
            };
            assert_eq!(
                problems,
                ["item `it`: variable `b`: its condition nests 1000001 deep; at most 16 allowed"]
            );
        })
        .unwrap()
        .join()
        .unwrap();
}
