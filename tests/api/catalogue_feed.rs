//! The catalogue's change feed, used as an outside integrator keeping a mirror would:
//! a first pull, then polls with the cursor, while the Province's office keeps editing.
use std::collections::BTreeMap;

use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, ProviderId, VenueId, course_body, in_person_edition};
use crate::helpers::{Backend, TestApp, TestDb, assert_problem, spawn_app, spawn_app_on};

/// A mirror of the catalogue kept only from the change feed.
#[derive(Default)]
struct Mirror {
    courses: BTreeMap<i64, Value>,
    editions: BTreeMap<i64, Value>,
    cursor: Option<String>,
    /// Changes applied during the current pass: with nobody writing meanwhile, an item
    /// comes at most once in a pass.
    seen_this_pass: Vec<(String, i64)>,
    /// Whether writes run while it polls (then an item may rightly come again).
    concurrent_writers: bool,
}

impl Mirror {
    /// Follows the feed from the stored cursor until nothing more is waiting.
    async fn poll(&mut self, app: &TestApp, limit: u32) {
        self.seen_this_pass.clear();
        loop {
            let mut url = format!("/catalogue/changes?limit={limit}");
            if let Some(cursor) = &self.cursor {
                url.push_str(&format!("&after={cursor}"));
            }
            let response = app.get(&url, None).await;
            assert_eq!(response.status(), 200);
            let page: Value = response.json().await.unwrap();
            for change in page["items"].as_array().unwrap() {
                self.apply(change);
            }
            self.cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
            if page["has_more"] == false {
                break;
            }
        }
    }

    fn apply(&mut self, change: &Value) {
        let kind = change["kind"].as_str().unwrap().to_owned();
        let id = change["id"].as_i64().unwrap();
        assert!(
            self.concurrent_writers || !self.seen_this_pass.contains(&(kind.clone(), id)),
            "{kind} {id} came twice in one pass without changing in between"
        );
        self.seen_this_pass.push((kind.clone(), id));
        let store = match kind.as_str() {
            "course" => &mut self.courses,
            _ => &mut self.editions,
        };
        if change.get("removed").is_some() {
            store.remove(&id);
        } else {
            store.insert(id, change[kind.as_str()].clone());
        }
    }

    /// The mirror equals a fresh full read of the catalogue, item by item.
    async fn assert_equals_catalogue(&self, app: &TestApp) {
        for (kind, store) in [("courses", &self.courses), ("editions", &self.editions)] {
            let page: Value = app
                .get(&format!("/catalogue/{kind}?limit=200"), None)
                .await
                .json()
                .await
                .unwrap();
            let source: BTreeMap<i64, Value> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| (i["id"].as_i64().unwrap(), i.clone()))
                .collect();
            assert_eq!(
                &source, store,
                "the {kind} mirror differs from the catalogue"
            );
        }
    }
}

async fn patch(app: &TestApp, admin: &str, path: &str, body: Value) {
    let response = app.patch_merge(path, admin, &body, None).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// Two published courses with two editions each; the ids of the editions.
async fn a_small_catalogue(
    app: &TestApp,
    admin: &str,
    provider: ProviderId,
    venue: VenueId,
) -> Vec<i64> {
    let mut editions = Vec::new();
    for theme in ["privacy", "digitalizzazione"] {
        let mut body = course_body(provider, theme, "in_person");
        body["status"] = json!("published");
        let course = app.create(admin, "/courses", &body).await;
        for _ in 0..2 {
            let path = format!("/courses/{}/editions", course["id"]);
            let edition = app
                .create(admin, &path, &in_person_edition(venue, 20))
                .await;
            editions.push(edition["id"].as_i64().unwrap());
        }
    }
    editions
}

#[rstest]
#[tokio::test]
async fn a_first_pull_then_polls_keep_a_mirror_equal_to_the_catalogue(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let editions = a_small_catalogue(&app, &admin, provider, venue).await;
    let mut mirror = Mirror::default();
    mirror.poll(&app, 2).await;
    assert_eq!((mirror.courses.len(), mirror.editions.len()), (2, 4));
    mirror.assert_equals_catalogue(&app).await;

    // Every kind of change the office makes.
    patch(
        &app,
        &admin,
        &format!("/venues/{venue}"),
        json!({"name": "Sala consiliare"}),
    )
    .await;
    patch(
        &app,
        &admin,
        &format!("/editions/{}", editions[0]),
        json!({"status": "cancelled"}),
    )
    .await;
    patch(
        &app,
        &admin,
        &format!("/editions/{}", editions[1]),
        json!({"status": "cancelled"}),
    )
    .await;
    let deleted = app
        .delete(&format!("/editions/{}", editions[1]), &admin)
        .await;
    assert_eq!(deleted.status(), 204);
    patch(
        &app,
        &admin,
        &format!("/providers/{provider}"),
        json!({"name": "Scuola Ligure PA"}),
    )
    .await;
    let course_of_last = mirror.editions[&editions[3]]["course_id"].as_i64().unwrap();
    patch(
        &app,
        &admin,
        &format!("/courses/{course_of_last}"),
        json!({"status": "archived"}),
    )
    .await;
    mirror.poll(&app, 2).await;
    mirror.assert_equals_catalogue(&app).await;
    assert!(
        !mirror.editions.contains_key(&editions[0]),
        "a cancelled edition leaves"
    );
    assert_eq!(mirror.courses.len(), 1);

    // Nothing new: the same cursor comes back with no items.
    let cursor = mirror.cursor.clone().unwrap();
    let page: Value = app
        .get(&format!("/catalogue/changes?after={cursor}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["next_cursor"], cursor.as_str());
    assert_eq!(page["has_more"], false);
    assert!(page["links"]["next"].as_str().unwrap().ends_with(&cursor));
}

#[rstest]
#[tokio::test]
async fn a_cursor_not_given_by_the_feed_is_a_400_naming_it(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    // "djE6OTk5" is the form of a real cursor (v1:999), ahead of anything committed: from
    // another database, or from before a restore.
    for bad in ["42", "djI6NDI", "not-a-cursor", "djE6OTk5"] {
        let problem = assert_problem(
            app.get(&format!("/catalogue/changes?after={bad}"), None)
                .await,
            400,
        )
        .await;
        assert_eq!(problem["errors"][0]["parameter"], "after", "{bad}");
    }
    let problem = assert_problem(app.get("/catalogue/changes?limit=0", None).await, 400).await;
    assert_eq!(problem["errors"][0]["parameter"], "limit");
}

/// The case `updated_since` got wrong: several writers on two replicas commit in an
/// order unrelated to when their transactions began, while the mirror pages through.
#[tokio::test]
async fn a_mirror_polling_while_two_replicas_write_at_once_misses_nothing() {
    let db = TestDb::create(Backend::Postgres).await;
    let url = db.url().to_owned();
    let first = spawn_app_on(db, Backend::Postgres, |_| {}).await;
    let second = spawn_app_on(TestDb::Shared { url }, Backend::Postgres, |_| {}).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = first.catalogue().await;
    let editions = a_small_catalogue(&first, &admin, provider, venue).await;
    let mut mirror = Mirror {
        concurrent_writers: true,
        ..Mirror::default()
    };
    mirror.poll(&second, 3).await;

    let writers = (0..8).map(|writer| {
        let (app, admin, editions) = (
            if writer % 2 == 0 { &first } else { &second },
            admin.clone(),
            editions.clone(),
        );
        async move {
            for round in 0..6 {
                let edition = editions[(writer + round) % editions.len()];
                let title = format!("Edizione {writer}-{round}");
                let response = app
                    .patch_merge(
                        &format!("/editions/{edition}"),
                        &admin,
                        &json!({"title": title}),
                        None,
                    )
                    .await;
                assert!(
                    // 412: another writer changed it between this one's read and write.
                    [200, 412, 503].contains(&response.status().as_u16()),
                    "{}",
                    response.text().await.unwrap()
                );
            }
        }
    });
    let polling = async {
        for _ in 0..15 {
            mirror.poll(&second, 3).await;
        }
    };
    let ((), _) = tokio::join!(polling, futures::future::join_all(writers));
    mirror.poll(&first, 3).await;
    mirror.assert_equals_catalogue(&first).await;
    mirror.assert_equals_catalogue(&second).await;
}

#[rstest]
#[tokio::test]
async fn an_edit_the_catalogue_does_not_show_is_not_a_change(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    a_small_catalogue(&app, &admin, provider, venue).await;
    let mut mirror = Mirror::default();
    mirror.poll(&app, 50).await;
    let cursor = mirror.cursor.clone().unwrap();
    patch(
        &app,
        &admin,
        &format!("/providers/{provider}"),
        json!({"notes": "Riunione a marzo"}),
    )
    .await;
    let page: Value = app
        .get(&format!("/catalogue/changes?after={cursor}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["items"],
        json!([]),
        "a provider's private notes are not news"
    );
    assert_eq!(page["next_cursor"], cursor.as_str());
}

#[rstest]
#[tokio::test]
async fn a_draft_is_not_named_by_the_feed_until_it_is_published(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let draft = app
        .create(
            &admin,
            "/courses",
            &course_body(provider, "privacy", "in_person"),
        )
        .await;
    assert_eq!(draft["status"], "draft");
    let path = format!("/courses/{}/editions", draft["id"]);
    let edition = app
        .create(&admin, &path, &in_person_edition(venue, 20))
        .await;
    patch(
        &app,
        &admin,
        &format!("/courses/{}", draft["id"]),
        json!({"title": "Privacy: bozza rivista"}),
    )
    .await;

    let page: Value = app
        .get("/catalogue/changes?limit=50", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["items"],
        json!([]),
        "a draft course and its edition were never public: not even their ids"
    );
    let mut mirror = Mirror::default();
    mirror.poll(&app, 50).await;
    assert!(mirror.courses.is_empty() && mirror.editions.is_empty());

    patch(
        &app,
        &admin,
        &format!("/courses/{}", draft["id"]),
        json!({"status": "published"}),
    )
    .await;
    mirror.poll(&app, 50).await;
    assert!(mirror.courses.contains_key(&draft["id"].as_i64().unwrap()));
    assert!(
        mirror
            .editions
            .contains_key(&edition["id"].as_i64().unwrap()),
        "publishing the course brings its editions into the feed"
    );
    mirror.assert_equals_catalogue(&app).await;
}
