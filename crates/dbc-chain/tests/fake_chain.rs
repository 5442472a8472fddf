//! dbc-chain against dbc-sim's fake chain, over HTTP and WebSocket: rent orders, blocks, new
//! heads, JSON-RPC errors and faults (each fault must give its error code in bounded time).

use std::time::{Duration, Instant};

use dbc_chain::{
    seconds_left, ChainClient, ChainOptions, Error, ErrorCode, RentStatus, BLOCK_SECS,
};
use dbc_sim::config::{DEMO_MACHINE_ALPHA, DEMO_MACHINE_BETA};
use dbc_sim::{ChainServer, Control, Fault, FaultKind, SimConfig, SimServer, DEMO_WALLET};
use jsonrpsee::core::params::ArrayParams;

const START_BLOCK: u32 = 5_000_000;

struct Fixture {
    sim: SimServer,
    chain: ChainServer,
    ctl: Control,
}

impl Fixture {
    async fn start() -> Fixture {
        let sim = SimServer::start(
            SimConfig::demo().with_speed(1.0),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .unwrap();
        let chain = sim
            .start_chain("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let ctl = sim.control();
        Fixture { sim, chain, ctl }
    }

    fn urls(&self) -> [String; 2] {
        [self.chain.http_url(), self.chain.ws_url()]
    }

    async fn stop(self) {
        self.chain.shutdown().await;
        self.sim.shutdown().await;
    }
}

fn quick() -> ChainOptions {
    ChainOptions {
        request_timeout: Duration::from_millis(400),
        connect_timeout: Duration::from_millis(400),
        poll_interval: Duration::from_millis(20),
    }
}

fn client(url: &str) -> ChainClient {
    ChainClient::new(url, quick()).unwrap()
}

/// The error of `fut`, which must come within `limit`.
async fn fails_within<T: std::fmt::Debug>(
    limit: Duration,
    fut: impl std::future::Future<Output = Result<T, Error>>,
) -> Error {
    let t0 = Instant::now();
    let r = tokio::time::timeout(limit, fut)
        .await
        .unwrap_or_else(|_| panic!("no answer within {limit:?}"));
    let e = r.expect_err("expected an error");
    assert!(t0.elapsed() < limit);
    e
}

#[tokio::test]
async fn rentals_over_http_and_websocket() {
    let f = Fixture::start().await;
    for url in f.urls() {
        let c = client(&url);
        let now = c.current_block().await.unwrap();
        assert_eq!(now, START_BLOCK + (f.ctl.now_secs() as u32) / 6, "{url}");
        assert_eq!(
            c.rent_list(DEMO_WALLET).await.unwrap(),
            vec![1001, 1002, 1003, 1005]
        );
        let rentals = c.rentals(DEMO_WALLET).await.unwrap();
        let ids: Vec<u64> = rentals.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![1001, 1002, 1003, 1005]);
        let beta = &rentals[1].order;
        assert_eq!(beta.machine_id, DEMO_MACHINE_BETA);
        assert_eq!(beta.renter, DEMO_WALLET);
        assert_eq!(beta.rent_status, RentStatus::Renting);
        assert_eq!((beta.gpu_num, beta.gpu_index.clone()), (2, vec![0, 1]));
        assert_eq!(beta.rent_end, START_BLOCK + 7 * 14_400);
        assert_eq!(beta.rent_start, START_BLOCK - 600);
        assert_eq!(beta.confirm_rent, START_BLOCK - 598);
        assert!(beta.stake_amount > u128::from(u64::MAX), "a u128 stake");
        assert_eq!(
            beta.seconds_left(now),
            u64::from(beta.rent_end - now) * BLOCK_SECS
        );
        let gamma = &rentals[2].order;
        assert_eq!(gamma.rent_status, RentStatus::WaitingVerifying);
        assert_eq!(gamma.confirm_rent, 0);
        assert!(gamma.rent_status.is_active());
        assert_eq!(c.rent_order(424_242).await.unwrap(), None);
        let m = c.machine_rent_ids(DEMO_MACHINE_ALPHA).await.unwrap();
        assert_eq!(m.rent_order, vec![1001]);
        assert_eq!(m.used_gpu, (0..8).collect::<Vec<u32>>());
        assert!(c
            .machine_rent_ids("no-such-machine")
            .await
            .unwrap()
            .rent_order
            .is_empty());
    }
    f.stop().await;
}

#[tokio::test]
async fn an_ended_rental_is_gone_and_time_left_counts_down() {
    let f = Fixture::start().await;
    let c = client(&f.chain.ws_url());
    let before = c.rent_order(1003).await.unwrap().unwrap();
    let now = c.current_block().await.unwrap();
    assert_eq!(
        before.seconds_left(now),
        2 * 3600 - u64::from(now - START_BLOCK) * 6
    );
    f.ctl.advance_clock(Duration::from_secs(3600));
    let now2 = c.current_block().await.unwrap();
    assert_eq!(now2 - now, 600);
    assert_eq!(
        seconds_left(before.rent_end, now2),
        before.seconds_left(now) - 3600
    );
    f.ctl.advance_clock(Duration::from_secs(3600));
    assert_eq!(c.rent_order(1003).await.unwrap(), None);
    let ids: Vec<u64> = c
        .rentals(DEMO_WALLET)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, vec![1001, 1002, 1005]);
    f.stop().await;
}

#[tokio::test]
async fn rpc_errors_keep_code_and_message() {
    let f = Fixture::start().await;
    for url in f.urls() {
        let c = client(&url);
        let e = c
            .call("rentMachine_getRentOrders", ArrayParams::new())
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Rpc, "{url}: {e}");
        assert!(e.is_method_not_found());
        let Error::Rpc { code, message, .. } = &e else {
            unreachable!()
        };
        assert_eq!((*code, message.as_str()), (-32601, "Method not found"));
        let e = c.rent_list("not-an-address").await.unwrap_err();
        assert_eq!(e.rpc_code(), Some(dbc_chain::INVALID_PARAMS), "{url}: {e}");
    }
    f.stop().await;
}

#[tokio::test]
async fn new_heads_are_pushed_over_websocket() {
    let f = Fixture::start().await;
    let c = client(&f.chain.ws_url());
    let mut heads = c.new_heads().await.unwrap();
    assert!(heads.is_push());
    let first = heads.next().await.unwrap();
    assert_eq!(first, c.current_block().await.unwrap());
    let mut last = first;
    for _ in 0..3 {
        f.ctl.advance_clock(Duration::from_secs(6));
        let n = tokio::time::timeout(Duration::from_secs(5), heads.next())
            .await
            .expect("a head within 5 s")
            .unwrap();
        assert!(n > last, "{n} after {last}");
        last = n;
    }
    assert_eq!(last, first + 3);
    // a dropped subscription is reported, not waited on forever
    f.ctl
        .add_fault(Fault::on("chain/chain_newHead", FaultKind::Reset).times(1));
    f.ctl.advance_clock(Duration::from_secs(6));
    let e = fails_within(Duration::from_secs(5), heads.next()).await;
    assert_eq!(e.code(), ErrorCode::Unreachable, "{e}");
    // and the client connects again for the next call
    assert!(c.current_block().await.unwrap() > last);
    f.stop().await;
}

#[tokio::test]
async fn new_heads_are_polled_over_http() {
    let f = Fixture::start().await;
    let c = client(&f.chain.http_url());
    let mut heads = c.new_heads().await.unwrap();
    assert!(!heads.is_push());
    let first = heads.next().await.unwrap();
    let mut last = first;
    for _ in 0..3 {
        f.ctl.advance_clock(Duration::from_secs(6));
        let n = tokio::time::timeout(Duration::from_secs(5), heads.next())
            .await
            .expect("a head within 5 s")
            .unwrap();
        assert!(n > last, "{n} after {last}");
        last = n;
    }
    assert_eq!(last, first + 3);
    f.stop().await;
}

#[tokio::test]
async fn faults_give_their_codes_in_bounded_time() {
    let f = Fixture::start().await;
    let limit = Duration::from_secs(3);
    for url in f.urls() {
        let c = client(&url);
        c.current_block().await.unwrap();
        // malformed reply
        f.ctl
            .add_fault(Fault::on("chain/rentMachine", FaultKind::Garbage).times(1));
        let e = fails_within(limit, c.rent_list(DEMO_WALLET)).await;
        assert_eq!(e.code(), ErrorCode::Malformed, "{url}: {e}");
        // the next call works (over WebSocket: on a new connection)
        assert_eq!(c.rent_list(DEMO_WALLET).await.unwrap().len(), 4, "{url}");
        // slow, but in time
        f.ctl
            .add_fault(Fault::on("chain/chain_getHeader", FaultKind::Latency { ms: 100 }).times(1));
        c.current_block().await.unwrap();
        // too slow
        f.ctl.add_fault(
            Fault::on("chain/chain_getHeader", FaultKind::Latency { ms: 2_000 }).times(1),
        );
        let e = fails_within(limit, c.current_block()).await;
        assert_eq!(e.code(), ErrorCode::Timeout, "{url}: {e}");
        // no answer at all
        f.ctl
            .add_fault(Fault::on("chain/rentMachine_getRentOrder", FaultKind::Timeout).times(1));
        let e = fails_within(limit, c.rent_order(1001)).await;
        assert_eq!(e.code(), ErrorCode::Timeout, "{url}: {e}");
        // server error: a proxy's HTTP 500, or JSON-RPC -32603 on a WebSocket
        f.ctl
            .add_fault(Fault::on("chain/chain_getHeader", FaultKind::Http500).times(1));
        let e = fails_within(limit, c.current_block()).await;
        if c.is_websocket() {
            assert_eq!(e.rpc_code(), Some(-32603), "{url}: {e}");
        } else {
            assert_eq!(e.code(), ErrorCode::Unreachable, "{url}: {e}");
            assert!(e.to_string().contains("500"), "{e}");
        }
        // down: connections are closed without an answer
        f.ctl.add_fault(Fault::on("chain", FaultKind::Reset));
        let e = fails_within(limit, c.rent_list(DEMO_WALLET)).await;
        assert_eq!(e.code(), ErrorCode::Unreachable, "{url}: {e}");
        let e = fails_within(limit, c.current_block()).await;
        assert_eq!(e.code(), ErrorCode::Unreachable, "{url}: {e}");
        f.ctl.clear_faults();
        // back up
        c.current_block().await.unwrap();
    }
    f.stop().await;
}

#[tokio::test]
async fn nothing_listening_or_nothing_answering() {
    // a port nobody listens on
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    for url in [
        format!("http://127.0.0.1:{port}"),
        format!("ws://127.0.0.1:{port}"),
    ] {
        let e = fails_within(Duration::from_secs(3), client(&url).current_block()).await;
        assert_eq!(e.code(), ErrorCode::Unreachable, "{url}: {e}");
        assert!(e.is_transient());
    }
    // a peer that accepts and then never says anything
    let mute = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = mute.local_addr().unwrap().port();
    let keep = tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((s, _)) = mute.accept().await {
            held.push(s);
        }
    });
    for url in [
        format!("http://127.0.0.1:{port}"),
        format!("ws://127.0.0.1:{port}"),
    ] {
        let e = fails_within(Duration::from_secs(3), client(&url).current_block()).await;
        assert_eq!(e.code(), ErrorCode::Timeout, "{url}: {e}");
    }
    keep.abort();
}
