//! The proxy decision through real HTTP. Its own test binary: it sets the process's proxy
//! variables, which every client built in this process reads.
//!
//! A simulator stands in for the proxy: a proxied request arrives at it in absolute form
//! (`POST http://host/api/v1/ HTTP/1.1`), and it answers the version call by path, so a request
//! that went through the "proxy" succeeds and shows up in its connection count. Only loopback
//! addresses are contacted: the remote node's name is never resolved, the proxy is asked for it.

use dbc_api::auth::Auth;
use dbc_api::request;
use dbc_api::Client;
use dbc_sim::{SimConfig, SimServer};

#[tokio::test]
async fn loopback_nodes_bypass_the_proxy_and_remote_ones_use_it() {
    let proxy = SimServer::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let node = SimServer::start(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    // Set before any client is built; this binary has only this test.
    for var in [
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("HTTP_PROXY", proxy.base_url());
    std::env::set_var("http_proxy", proxy.base_url());

    // A node on this computer: straight to it, never through the proxy.
    let port = node.addr().port();
    for url in [
        node.base_url(),
        format!("http://localhost:{port}"),
        format!("http://127.0.0.1:{port}/api/v1"),
    ] {
        Client::connect(&url)
            .unwrap()
            .call(request::version(), &Auth::None)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }
    assert_eq!(
        proxy.control().connections(),
        0,
        "loopback went through the proxy"
    );
    assert_eq!(node.control().connections(), 3);

    // A node elsewhere: through the proxy the environment names.
    let remote = Client::connect("http://dbc-node.invalid:5002").unwrap();
    let v = remote
        .call(request::version(), &Auth::None)
        .await
        .expect("answered through the proxy");
    assert!(!v.client_version.is_empty());
    assert_eq!(proxy.control().connections(), 1);
    assert_eq!(node.control().connections(), 3);

    proxy.shutdown().await;
    node.shutdown().await;
}
