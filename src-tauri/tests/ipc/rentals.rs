//! Rentals from the chain, through the app's commands against the demo network's simulated
//! chain: every order of the wallets sorted by time left, the rent order found for the machine
//! form, warnings that fire once (also after a restart), and a chain that is down.

use crate::common;

use common::{start, Ipc, SimControl};
use dbc_desk_lib::state::AppState;
use serde_json::{json, Value};
use tauri::Manager;

fn watch(ipc: &Ipc) -> Vec<Value> {
    let state = ipc.app().state::<AppState>();
    let alerts = tauri::async_runtime::block_on(state.rent_watch()).expect("chain read");
    alerts
        .into_iter()
        .map(|a| serde_json::to_value(a).unwrap())
        .collect()
}

/// The demo network with its clock at real speed (the test moves it).
fn start_demo(data: &std::path::Path) -> (Ipc, SimControl) {
    let ipc = start(data);
    std::env::set_var("DBC_DESK_DEMO_SPEED", "1");
    let sim = SimControl::of_demo(&ipc);
    (ipc, sim)
}

#[test]
fn rentals_sorted_by_time_left_and_the_machine_form_finds_its_order() {
    let data = tempfile::tempdir().unwrap();
    let (ipc, _sim) = start_demo(data.path());
    let info = ipc.ok("app_info", json!({}));
    let demo = &info["demo"];
    let r = ipc.ok("rentals", json!({}));
    assert_eq!(r["chain"]["endpoint"], demo["chain_url"], "{r}");
    assert!(r["chain"]["error"].is_null(), "{r}");
    let orders = r["orders"].as_array().unwrap();
    let ids: Vec<&str> = orders
        .iter()
        .map(|o| o["rent_order"].as_str().unwrap())
        .collect();
    // gamma ends after 2 h (and waits for confirmation), beta after 7 days, the others 30 days
    assert_eq!(&ids[..2], ["1003", "1002"], "{r}");
    let left: Vec<u64> = orders
        .iter()
        .map(|o| o["seconds_left"].as_u64().unwrap())
        .collect();
    assert!(left.windows(2).all(|w| w[0] <= w[1]), "{left:?}");
    let gamma = &orders[0];
    assert_eq!(gamma["status"], "waitingVerifying");
    assert!((7000..=7200).contains(&left[0]), "{gamma}");
    assert!(gamma["confirm_seconds_left"].as_u64().is_some(), "{gamma}");
    assert_eq!(gamma["wallet_id"], "demo");
    assert!(
        gamma["machine_label"].as_str().unwrap().contains("(demo)"),
        "{gamma}"
    );
    assert_eq!(orders[1]["gpu_index"], json!([0, 1]));

    // The machine form: the demo wallet's order on beta, from the chain.
    let beta = demo["machines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["rent_order"] == "1002")
        .unwrap();
    let found = ipc.ok(
        "rent_orders_find",
        json!({"opts": {"node_id": beta["node_id"], "wallet_id": "demo"}}),
    );
    assert_eq!(found["source"], "chain", "{found}");
    assert_eq!(found["orders"][0]["id"], "1002", "{found}");
    assert_eq!(found["orders"].as_array().unwrap().len(), 1, "{found}");
}

#[test]
fn warnings_fire_once_each_and_are_remembered_across_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let (ipc, sim) = start_demo(data.path());
    // Nothing is due yet (the nearest end, gamma's, is 2 h away; warnings at 24 h and 1 h):
    // beta (7 days) and the 30-day orders are far; gamma is inside 24 h, so its 24 h warning
    // fires now, once.
    let first = watch(&ipc);
    let kinds: Vec<(String, String)> = first
        .iter()
        .map(|a| {
            (
                a["rent_order"].as_str().unwrap().into(),
                a["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("1003".to_string(), "ends_soon".to_string())],
        "{first:?}"
    );
    assert!(watch(&ipc).is_empty());

    // 70 minutes later gamma has under an hour left: the 1 h warning, once.
    sim.advance(70.0 * 60.0);
    let second = watch(&ipc);
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(second[0]["kind"], "ends_soon");
    assert!(
        second[0]["seconds_left"].as_u64().unwrap() <= 3000,
        "{second:?}"
    );
    assert!(
        second[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Rental ends in"),
        "{second:?}"
    );
    assert!(watch(&ipc).is_empty());
    // The window (loaded late, or reloaded) gets the warnings of this run, newest first.
    let recent = ipc.ok("rent_alerts", json!({}));
    let seqs: Vec<u64> = recent
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [2, 1], "{recent}");
    drop(sim);
    drop(ipc);

    // Restarted: the book was saved, so nothing fires again for the same thresholds.
    let (ipc, sim) = start_demo(data.path());
    sim.advance(70.0 * 60.0);
    assert!(watch(&ipc).is_empty());
    // Past its end the order leaves the chain: "ended" (it was never confirmed, but it ran
    // to its end), once.
    sim.advance(60.0 * 60.0);
    let ended = watch(&ipc);
    assert_eq!(ended.len(), 1, "{ended:?}");
    assert_eq!(ended[0]["rent_order"], "1003");
    assert_eq!(ended[0]["kind"], "ended");
    assert!(
        ended[0]["body"].as_str().unwrap().contains("powered off"),
        "{ended:?}"
    );
    assert!(watch(&ipc).is_empty());
}

#[test]
fn a_chain_that_is_down_leaves_the_rest_working() {
    let data = tempfile::tempdir().unwrap();
    let (ipc, sim) = start_demo(data.path());
    sim.fault(json!({"path": "chain", "kind": "reset"}));
    let r = ipc.ok("rentals", json!({}));
    assert_eq!(r["chain"]["error"]["code"], "chain", "{r}");
    assert!(
        r["chain"]["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("typed by hand"),
        "{r}"
    );
    assert_eq!(r["orders"], json!([]));
    // The form falls back to the machine's own list and says why.
    let beta = ipc.ok("app_info", json!({}))["demo"]["machines"][1]["node_id"].clone();
    let found = ipc.ok(
        "rent_orders_find",
        json!({"opts": {"node_id": beta, "wallet_id": "demo"}}),
    );
    assert_eq!(found["source"], "node", "{found}");
    assert_eq!(found["chain_error"]["code"], "chain", "{found}");
    assert!(!found["orders"].as_array().unwrap().is_empty(), "{found}");
    // The fleet does not depend on the chain.
    let fleet = ipc.ok("fleet", json!({"fresh": true}));
    assert!(fleet
        .as_array()
        .unwrap()
        .iter()
        .any(|m| !m["tasks"].as_array().unwrap().is_empty()));
    // And the warnings read nothing, so nothing is taken for ended.
    let state = ipc.app().state::<AppState>();
    assert!(tauri::async_runtime::block_on(state.rent_watch()).is_err());

    // Switched off: no endpoint, no error.
    let mut prefs = ipc.ok("prefs_get", json!({}));
    prefs["chain_source"] = json!("off");
    ipc.ok("prefs_set", json!({"prefs": prefs}));
    let r = ipc.ok("rentals", json!({}));
    assert!(
        r["chain"]["endpoint"].is_null() && r["chain"]["error"].is_null(),
        "{r}"
    );
    // A custom address is checked before it is saved.
    prefs["chain_source"] = json!("custom");
    prefs["chain_url"] = json!("ftp://example.org");
    let err = ipc.call("prefs_set", json!({"prefs": prefs})).unwrap_err();
    assert_eq!(err["fields"][0]["field"], "chain_url", "{err}");
}
