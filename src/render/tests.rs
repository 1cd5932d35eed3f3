use serde_json::json;

use super::markdown::plan_markdown_within;
use super::*;
use crate::apply::{FailedStep, SkippedStep, Summary};
use crate::diff::{DriftKind, DriftReport, PlanInput, plan};
use crate::ident::Ident;
use crate::kinds::reconciler::LiveObject;
use crate::kinds::reconciler::fakes::{addr, kinds, live, resource};
use crate::live::Live;
use crate::state::{State, StateEntry};

/// A plan with every action, drift, a reason, a prevent_destroy and an
/// unmanaged object.
fn busy_plan() -> crate::diff::Plan {
    let mut guarded = resource(
        "warehouse.GUARDED",
        json!({"size": "SMALL", "type": "SNOWPARK-OPTIMIZED"}),
        &[],
    );
    guarded.lifecycle.prevent_destroy = true;
    let declared = vec![
        resource("warehouse.NEW_WH", json!({"size": "XSMALL"}), &[]),
        resource(
            "warehouse.ML_TRAINING_WH",
            json!({"size": "LARGE", "comment": "training"}),
            &[],
        ),
        resource("warehouse.SCRATCH_WH", json!({"size": "SMALL"}), &[]),
        resource("warehouse.GONE_WH", json!({"size": "SMALL"}), &[]),
        guarded,
        resource(
            "task.NIGHTLY",
            json!({"after": [], "enabled": true, "sql": "select 1"}),
            &["warehouse.NEW_WH"],
        ),
    ];
    let mut state = State::new("DEV");
    let applied = [
        (
            "warehouse.ML_TRAINING_WH",
            json!({"size": "SMALL", "comment": "training"}),
        ),
        ("warehouse.SCRATCH_WH", json!({"size": "SMALL"})),
        ("warehouse.GONE_WH", json!({"size": "SMALL"})),
        ("warehouse.OLD_WH", json!({"size": "SMALL"})),
    ];
    for (a, attributes) in applied {
        let entry = StateEntry::from_live(&live(a, attributes), vec![], None);
        state.import(addr(a), entry).unwrap();
    }
    let objects = [
        live(
            "warehouse.ML_TRAINING_WH",
            json!({"size": "SMALL", "comment": "training"}),
        ),
        live("warehouse.SCRATCH_WH", json!({"size": "X-LARGE"})),
        live("warehouse.OLD_WH", json!({"size": "SMALL"})),
        live(
            "warehouse.GUARDED",
            json!({"size": "SMALL", "type": "STANDARD"}),
        ),
    ];
    let stray = LiveObject {
        address: addr("task.STRAY"),
        fqn: "DB.SCH.STRAY".into(),
        schema: Some(Ident::from_resolved("SCH")),
        attributes: Default::default(),
    };
    let live_now = Live {
        managed: objects
            .into_iter()
            .map(|o| (o.address.clone(), o))
            .collect(),
        unmanaged: vec![stray],
    };
    plan(&PlanInput {
        environment: "DEV",
        declared: &declared,
        state: &state,
        live: &live_now,
        kinds: &kinds(),
        targets: &[],
    })
    .map(|mut p| {
        // The toy warehouse holds no data; pretend this one does, to show
        // how a destructive replace under prevent_destroy reads.
        let guarded = p
            .changes
            .iter_mut()
            .find(|c| c.address == addr("warehouse.GUARDED"));
        guarded.expect("declared above").destructive = true;
        p
    })
    .unwrap()
}

#[test]
fn text_plan() {
    insta::assert_snapshot!(plan_text(&busy_plan(), TextOptions::default()));
}

#[test]
fn text_plan_with_sql() {
    let options = TextOptions {
        color: false,
        sql: true,
    };
    insta::assert_snapshot!(plan_text(&busy_plan(), options));
}

#[test]
fn colour_only_when_asked() {
    let plain = plan_text(&busy_plan(), TextOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = plan_text(
        &busy_plan(),
        TextOptions {
            color: true,
            sql: false,
        },
    );
    assert!(coloured.contains("\x1b[32m  +\x1b[0m"), "{coloured}");
}

#[test]
fn an_empty_plan_says_the_environment_matches() {
    let declared = [resource("warehouse.A", json!({"size": "SMALL"}), &[])];
    let mut state = State::new("STAGING");
    let entry = StateEntry::from_live(&live("warehouse.A", json!({"size": "SMALL"})), vec![], None);
    state.import(addr("warehouse.A"), entry).unwrap();
    let live_now = Live {
        managed: [(
            addr("warehouse.A"),
            live("warehouse.A", json!({"size": "SMALL"})),
        )]
        .into(),
        unmanaged: vec![],
    };
    let p = plan(&PlanInput {
        environment: "STAGING",
        declared: &declared,
        state: &state,
        live: &live_now,
        kinds: &kinds(),
        targets: &[],
    })
    .unwrap();
    assert_eq!(
        plan_text(&p, TextOptions::default()),
        "No changes. STAGING matches the declarations.\n"
    );
}

#[test]
fn json_plan_is_versioned_and_reads_back() {
    let p = busy_plan();
    let text = plan_json(&p);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format_version"], json!(1));
    assert_eq!(value["environment"], json!("DEV"));
    assert_eq!(crate::diff::Plan::from_json(&text).unwrap(), p);
}

#[test]
fn drift_report() {
    let report = DriftReport::from_plan(&busy_plan());
    assert!(report.has_drift());
    let drifted: Vec<(String, DriftKind)> = report
        .drifted
        .iter()
        .map(|d| (d.address.to_string(), d.kind))
        .collect();
    assert_eq!(
        drifted,
        [
            ("warehouse.GONE_WH".to_string(), DriftKind::Deleted),
            ("warehouse.SCRATCH_WH".to_string(), DriftKind::Changed),
        ]
    );
    let missing: Vec<String> = report.missing.iter().map(|a| a.to_string()).collect();
    assert_eq!(missing, ["warehouse.NEW_WH", "task.NIGHTLY"]);
    insta::assert_snapshot!(drift_text(&report, TextOptions::default()));
    let value: serde_json::Value = serde_json::from_str(&drift_json(&report)).unwrap();
    assert_eq!(
        value["drifted"][1]["attributes"][0]["live"],
        json!("X-LARGE")
    );
}

#[test]
fn apply_summary() {
    let summary = Summary {
        succeeded: vec![(1, addr("warehouse.A"))],
        failed: vec![FailedStep {
            id: 2,
            address: addr("warehouse.B"),
            statement: Some("CREATE WAREHOUSE B".into()),
            message: "002003 (02000): SQL compilation error: no".into(),
        }],
        skipped: vec![SkippedStep {
            id: 3,
            address: addr("task.T"),
            cause: "step 2 failed".into(),
        }],
        state_warning: None,
    };
    insta::assert_snapshot!(summary_text(&summary));
}

#[test]
fn state_list_and_show() {
    let mut state = State::new("DEV");
    assert_eq!(
        state_list_text(&state),
        "The state of DEV records no resources.\n"
    );
    let mut entry = StateEntry::from_live(
        &live("warehouse.A", json!({"size": "SMALL"})),
        vec![addr("warehouse.B")],
        None,
    );
    entry.applied_at = "2026-01-02T03:04:05Z".into();
    state.import(addr("warehouse.A"), entry.clone()).unwrap();
    assert_eq!(state_list_text(&state), "warehouse.A\n");
    insta::assert_snapshot!(state_show_text(&addr("warehouse.A"), &entry));
}

/// What a markdown plan comes from in these tests.
fn origin() -> PlanOrigin {
    PlanOrigin {
        branch: Some("feature/x".into()),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        connection: "local".into(),
    }
}

#[test]
fn markdown_plan() {
    insta::assert_snapshot!(plan_markdown(&busy_plan(), &origin()));
}

#[test]
fn markdown_puts_destructive_changes_and_drift_before_the_tables() {
    let text = plan_markdown(&busy_plan(), &origin());
    let caution = text
        .find("> [!CAUTION]")
        .expect("destructive changes are marked");
    let warning = text.find("> [!WARNING]").expect("drift is marked");
    let table = text.find("| address | action |").expect("a table");
    assert!(caution < warning && warning < table, "{text}");
    assert!(text.contains("> - **delete** `warehouse.OLD_WH`"), "{text}");
}

#[test]
fn markdown_of_an_empty_plan_is_one_line() {
    let mut p = busy_plan();
    p.changes.retain(|c| c.action == crate::diff::Action::NoOp);
    p.steps.clear();
    let text = plan_markdown(&p, &origin());
    assert_eq!(
        text,
        "**floe plan: DEV**: no changes. The declarations at branch `feature/x` (commit `0123456789ab`) match the account of connection `local`.\n"
    );
}

#[test]
fn markdown_escapes_code_spans_table_cells_and_text() {
    use super::markdown::{cell, code, text};
    assert_eq!(code("PLAIN"), "`PLAIN`");
    assert_eq!(code("a`b"), "``a`b``");
    assert_eq!(code("`x``"), "``` `x`` ```");
    assert_eq!(code("two\nlines"), "`two lines`");
    assert_eq!(cell(&code("a|b")), "`a\\|b`");
    assert_eq!(
        text("*not* [a](link) <b> #1 a_b"),
        "\\*not\\* \\[a\\](link) \\<b\\> \\#1 a\\_b"
    );
    assert_eq!(text("back\\slash"), "back\\\\slash");
}

#[test]
fn markdown_never_holds_control_characters() {
    let mut p = busy_plan();
    let change = p
        .changes
        .iter_mut()
        .find(|c| c.action == crate::diff::Action::Update)
        .expect("the busy plan updates");
    change.reason = Some("\x1b[31mred\x1b[0m | `pipe`".into());
    change.attributes[0].declared = Some(json!("\x1b[1mbold\x1b[0m"));
    p.steps[0].statements.push("SELECT '\x1b[2J'".into());
    let text = plan_markdown(&p, &origin());
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(
        text.contains("\u{FFFD}\\[31mred\u{FFFD}\\[0m \\| \\`pipe\\`"),
        "{text}"
    );
}

/// The busy plan's changes repeated `n` times under new names, each with a
/// long comment and a long statement.
fn huge_plan(n: usize) -> crate::diff::Plan {
    let mut p = busy_plan();
    let templates = p.changes.clone();
    let step = p.steps[0].clone();
    p.changes.clear();
    p.steps.clear();
    for i in 0..n {
        for template in &templates {
            let mut change = template.clone();
            change.address = addr(&format!("{}_{i}", template.address));
            change.attributes.push(crate::diff::AttributeChange {
                field: "comment".into(),
                declared: Some(json!(format!("comment {i} {}", "x".repeat(80)))),
                state: None,
                live: None,
                drift: false,
            });
            p.changes.push(change);
        }
        let mut step = step.clone();
        step.id = i as u32;
        step.statements = vec![format!(
            "CREATE WAREHOUSE W_{i} COMMENT = '{}'",
            "y".repeat(200)
        )];
        p.steps.push(step);
    }
    p
}

#[test]
fn markdown_of_thousands_of_changes_stays_under_the_bound_and_says_what_was_left_out() {
    let p = huge_plan(1000);
    assert!(p.changes.len() >= 5000);
    let text = plan_markdown(&p, &origin());
    assert!(
        text.chars().count() <= MARKDOWN_LIMIT,
        "{} characters",
        text.chars().count()
    );
    assert!(
        text.contains("> [!CAUTION]"),
        "destructive changes come first"
    );
    assert!(
        text.contains("| address | action | changes |"),
        "tables are kept in part"
    );
    assert!(!text.contains("<details>"), "details go first");
    assert!(
        text.contains("The attribute changes and the SQL are left out to fit a comment"),
        "{text}"
    );
    let shown = text
        .lines()
        .filter(|l| l.starts_with("| `") || l.starts_with("> - "))
        .count();
    let changed = p
        .changes
        .iter()
        .filter(|c| c.action != crate::diff::Action::NoOp)
        .count();
    let flagged = p
        .changes
        .iter()
        .filter(|c| c.destructive || c.drift)
        .count();
    let left_out = changed + flagged + p.unmanaged.len() - shown;
    assert!(
        text.contains(&format!(
            "_{left_out} rows left out to fit a comment: run `floe plan` locally, or `floe plan --format json`, for the full plan._"
        )),
        "{left_out} rows: {text}"
    );
}

#[test]
fn markdown_drops_details_before_rows() {
    let p = huge_plan(100);
    let full = plan_markdown_within(&p, &origin(), usize::MAX);
    assert!(full.contains("<details><summary>SQL, in order (100 steps)</summary>"));
    let limit = full.find("<details>").expect("details") + 3_000;
    let text = plan_markdown_within(&p, &origin(), limit);
    assert!(text.chars().count() <= limit);
    assert!(!text.contains("rows left out"), "{text}");
    assert!(
        text.contains("<details><summary>Attribute changes</summary>")
            || text.contains("The attribute changes and the SQL are left out"),
        "{text}"
    );
    assert!(!text.contains("SQL, in order"), "{text}");
}
