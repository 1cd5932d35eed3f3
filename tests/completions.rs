//! `floe completions`: the script a shell sources to complete floe's
//! commands and flags.

mod common;

use std::process::Command;

use common::Project;

/// What bash offers for the words typed so far (the last one being
/// completed), after sourcing `floe completions bash` as a user would.
fn bash_offers(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("floe.bash");
    std::fs::write(&path, script).expect("the script is written");
    let words: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}' && COMP_WORDS=({}) && COMP_CWORD={} && _floe floe \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\" && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        words.join(" "),
        words.len() - 1,
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_commands_and_their_flags() {
    let out = Project::new().run(&["completions", "bash"]);
    out.code(0);
    assert_eq!(bash_offers(&out.stdout, &["floe", "pl"]), ["plan"]);
    assert_eq!(
        bash_offers(&out.stdout, &["floe", "apply", "--par"]),
        ["--parallelism"]
    );
    let state = bash_offers(&out.stdout, &["floe", "state", ""]);
    for command in ["list", "show", "rm", "import", "unlock"] {
        assert!(
            state.iter().any(|c| c == command),
            "`floe state <TAB>` offers {command}: {state:?}"
        );
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Project::new().run(&["completions", shell]);
        out.code(0);
        for command in [
            "validate", "env", "config", "graph", "plan", "apply", "drift", "state", "local",
        ] {
            assert!(
                out.stdout.contains(command),
                "the {shell} script lacks `{command}`"
            );
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_ones_there_are() {
    Project::new()
        .run(&["completions", "tcsh"])
        .code(2)
        .stderr_has("invalid value 'tcsh'")
        .stderr_has("bash");
}
