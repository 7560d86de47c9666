//! Authentication: password hashing, tokens, login throttling and the request extractor
//! that turns a bearer token into a domain [`Actor`](crate::domain::access::Actor).
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod throttle;

pub use extractor::{AuthUser, MaybeAuthUser};
