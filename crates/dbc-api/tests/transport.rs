//! Replies the client survives, through real HTTP against an in-process `dbc-sim`: an endless
//! reply is cut off at the size limit with bounded memory, a redirect is an error and nothing is
//! sent to where it points, and `https://` addresses are spoken to with TLS.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dbc_api::auth::Auth;
use dbc_api::client::MAX_REPLY_BYTES;
use dbc_api::keys::Wallet;
use dbc_api::request::{self, TaskAction};
use dbc_api::{Client, Error, Machine};
use dbc_sim::config::DEMO_MACHINE_ALPHA;
use dbc_sim::{Fault, FaultKind, SimConfig, SimServer, DEMO_SEED_HEX};

const PREEXISTING: &str = "DemoVmAlpha0000000001";

async fn sim() -> SimServer {
    SimServer::start(
        SimConfig::demo().with_speed(1000.0),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("start simulator")
}

fn renter() -> (Auth, Machine) {
    let w = Arc::new(Wallet::from_hex_seed(DEMO_SEED_HEX).unwrap());
    (
        Auth::Wallet(w),
        Machine::new(DEMO_MACHINE_ALPHA, Some("1001".into())),
    )
}

fn huge(announce_length: bool) -> FaultKind {
    FaultKind::HugeBody {
        bytes: 300_000_000,
        announce_length,
    }
}

#[tokio::test]
async fn an_endless_reply_is_cut_off_at_the_limit() {
    let server = sim().await;
    let ctl = server.control();
    let client = Client::connect(&server.base_url()).unwrap();
    let (auth, alpha) = renter();

    // 300 MB sent chunked (no length announced) to a read.
    ctl.add_fault(Fault::on("tasks", huge(false)).times(1));
    let t0 = Instant::now();
    let err = client
        .call(request::task_list(&alpha), &auth)
        .await
        .unwrap_err();
    let took = t0.elapsed();
    match &err {
        Error::ReplyTooLarge {
            limit,
            announced: None,
            status: 200,
        } => assert_eq!(*limit, MAX_REPLY_BYTES),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code().as_str(), "reply_too_large");
    assert_eq!(err.to_string(), "reply too large (over 4 MiB)");
    assert!(err.explain().message.contains("stopped reading"));
    // Failed fast: reading stopped near the limit, so the simulator generated only the limit
    // plus what socket buffers hold, not the 300 MB it was told to send.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = ctl.huge_body_bytes_sent();
    assert!(
        sent > MAX_REPLY_BYTES && sent < 48 << 20,
        "{sent} bytes generated"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Not retried (a second attempt would have met a normal reply), and the client still works.
    assert!(ctl.faults().is_empty());
    let list = client
        .call(request::task_list(&alpha), &auth)
        .await
        .unwrap();
    assert!(list.iter().any(|t| t.task_id == PREEXISTING));

    // A length over the limit announced in the head: refused before reading the body.
    ctl.add_fault(Fault::on("tasks", huge(true)).times(1));
    let err = client
        .call(request::task_list(&alpha), &auth)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReplyTooLarge {
                announced: Some(300_000_000),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "reply too large (over 4 MiB), 300000000 bytes announced"
    );

    // A mutation's oversized reply: the node may have acted, so the outcome is unknown.
    ctl.add_fault(Fault::on("tasks/shutdown", huge(false)).times(1));
    let err = client
        .call(
            request::task_action(&alpha, TaskAction::Shutdown, PREEXISTING),
            &auth,
        )
        .await
        .unwrap_err();
    match &err {
        Error::AmbiguousOutcome(r) => {
            assert_eq!(r.status, 200);
            assert!(r.message.starts_with("reply too large (over 4 MiB)"), "{r}");
        }
        other => panic!("{other:?}"),
    }
    // Just under the limit is read whole (it is not an envelope, so it does not decode).
    ctl.add_fault(
        Fault::on(
            "tasks",
            FaultKind::HugeBody {
                bytes: MAX_REPLY_BYTES,
                announce_length: false,
            },
        )
        .times(1),
    );
    let err = client
        .call(request::task_list(&alpha), &auth)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_redirect_is_an_error_and_nothing_goes_where_it_points() {
    let server = sim().await;
    let ctl = server.control();
    // The second listener the redirect points at: it must never be contacted.
    let elsewhere = sim().await;
    let target = format!(
        "{}/api/v1/tasks/shutdown/{PREEXISTING}",
        elsewhere.base_url()
    );
    let client = Client::connect(&server.base_url()).unwrap();
    let (auth, alpha) = renter();

    for status in [307, 308, 302, 301] {
        ctl.add_fault(
            Fault::on(
                "tasks/shutdown",
                FaultKind::Redirect {
                    status,
                    location: target.clone(),
                },
            )
            .times(2),
        );
        let err = client
            .call(
                request::task_action(&alpha, TaskAction::Shutdown, PREEXISTING),
                &auth,
            )
            .await
            .unwrap_err();
        match &err {
            Error::Redirect {
                status: s,
                location,
            } => {
                assert_eq!(*s, status);
                assert_eq!(location, &target);
            }
            other => panic!("HTTP {status}: {other:?}"),
        }
        assert_eq!(err.code().as_str(), "redirect");
        assert!(err.to_string().contains(&format!("HTTP {status}")), "{err}");
        // Sent once to the configured address: one use of the two-use fault is left.
        assert_eq!(ctl.faults()[0].times, Some(1), "HTTP {status}: re-sent");
        ctl.clear_faults();
    }
    // A read is not retried on a redirect either.
    ctl.add_fault(
        Fault::on(
            "tasks",
            FaultKind::Redirect {
                status: 307,
                location: target.clone(),
            },
        )
        .times(2),
    );
    let err = client
        .call(request::task_list(&alpha), &auth)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirect { status: 307, .. }),
        "{err:?}"
    );
    assert_eq!(ctl.faults()[0].times, Some(1), "a read was retried");

    assert_eq!(
        elsewhere.control().connections(),
        0,
        "the redirect target was contacted"
    );
    // The VM was never shut down (the redirect answered instead of the node).
    assert_eq!(
        ctl.task(DEMO_MACHINE_ALPHA, PREEXISTING).unwrap().status,
        "running"
    );
    elsewhere.shutdown().await;
    server.shutdown().await;
}

#[tokio::test]
async fn https_addresses_are_spoken_to_with_tls() {
    let server = sim().await;
    let plain = server.base_url();
    let tls = plain.replacen("http://", "https://", 1);
    let client = Client::connect(&tls).unwrap();
    assert_eq!(client.base_url(), tls);
    // The simulator speaks plain HTTP, so the TLS handshake fails: a connection error, after
    // the client did connect and try (no certificate or plain-HTTP fallback).
    let err = client
        .call(request::version(), &Auth::None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(server.control().connections() >= 1);
    // The same simulator over plain HTTP answers.
    Client::connect(&plain)
        .unwrap()
        .call(request::version(), &Auth::None)
        .await
        .unwrap();
    server.shutdown().await;
}
