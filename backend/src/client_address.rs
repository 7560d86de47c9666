//! Who the client is, for rate limits and login throttling: the connection's address, or,
//! behind a reverse proxy the operator trusts (`CABINA_TRUSTED_PROXIES`), the address that
//! proxy saw. `X-Forwarded-For` from anyone else is ignored, since a client can forge it.
use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::web;
use ipnet::IpNet;

/// The networks whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses addresses (`10.0.0.5`) and networks (`172.16.0.0/12`).
    ///
    /// # Errors
    /// The first entry that is neither.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
            .map(|e| {
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("CABINA_TRUSTED_PROXIES: {e:?} is not an address or a network")
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: the right-most `X-Forwarded-For` hop that is not a
    /// trusted proxy, when `peer` is one.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<IpAddr> = forwarded_for
            .unwrap_or_default()
            .split(',')
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !self.trusts(**ip))
            .or(hops.first())
            .copied()
            .or(Some(peer))
    }
}

/// The client address of a request (see the module documentation).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    match req.app_data::<web::Data<TrustedProxies>>() {
        Some(proxies) => proxies.client(peer, forwarded),
        None => peer,
    }
}

/// The client address as a throttle's key: empty when the request has none (a test
/// harness), so such requests share one bucket rather than escape it.
pub fn throttle_key(req: &HttpRequest) -> String {
    client_ip(req).map(|ip| ip.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let proxies = TrustedProxies::parse(&["172.16.0.0/12".into()]).unwrap();
        assert_eq!(
            proxies.client(Some(ip("203.0.113.9")), Some("1.2.3.4")),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            TrustedProxies::default().client(Some(ip("10.0.0.1")), Some("1.2.3.4")),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse(&["172.16.0.0/12".into(), "10.0.0.7".into()]).unwrap();
        let peer = Some(ip("172.18.0.3"));
        assert_eq!(
            proxies.client(peer, Some("6.6.6.6, 198.51.100.4, 10.0.0.7")),
            Some(ip("198.51.100.4"))
        );
        assert_eq!(proxies.client(peer, None), Some(ip("172.18.0.3")));
        assert_eq!(
            proxies.client(peer, Some("garbage")),
            Some(ip("172.18.0.3"))
        );
    }

    #[test]
    fn bad_entries_are_refused() {
        assert!(TrustedProxies::parse(&["not-an-ip".into()]).is_err());
        assert!(TrustedProxies::parse(&["".into()]).unwrap().0.is_empty());
    }
}
