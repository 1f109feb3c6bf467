//! Shared helpers for Linli's end-to-end tests and load generator: building operations and a small HTTP client.

use linli_core::date::Date;
use linli_core::protocol::{LoginRequest, LoginResponse, PullResponse, PushRequest, PushResponse};
use linli_core::renovation::Matter;
use linli_core::renovation::{
    BallotChannel, BallotFields, ItemClass, MenuItemFields, ProjectFields, RenovationKind,
};
use linli_core::roster::{
    BuildingFields, CompoundFields, HouseholdFields, KeyGroup, PersonFields, UnitFields,
};
use linli_core::surveys::{
    Form, FormVersionFields, HouseholdStatus, ResponseReviewFields, SurveyAssignmentFields,
    SurveyResponseFields, Verdict, VisitFields,
};
use linli_core::sync::{Body, EntityRef, OP_FORMAT_VERSION, Operation};
use linli_core::{EntityKind, Hlc};
use uuid::Uuid;

/// The environment variable naming a PostgreSQL server for the tests (`postgres://user@host:port/db`,
/// a maintenance database on a throwaway cluster: `cargo xtask test` starts one). When set, every test
/// server runs on a fresh database of its own there instead of a SQLite file.
pub const TEST_POSTGRES: &str = "LINLI_TEST_POSTGRES";

/// Whether the tests run on PostgreSQL ([`TEST_POSTGRES`] is set).
pub fn on_postgres() -> bool {
    std::env::var(TEST_POSTGRES).is_ok_and(|v| !v.is_empty())
}

/// The `DATABASE_URL` of a test server whose data lives at `path`: a SQLite file there, or (with
/// [`TEST_POSTGRES`]) a PostgreSQL database named after the path, created empty on first use — so a
/// server restarted on the same path finds its data again.
pub fn database_url(path: &std::path::Path) -> String {
    let Some(base) = std::env::var(TEST_POSTGRES).ok().filter(|v| !v.is_empty()) else {
        return format!("sqlite://{}?mode=rwc", path.display());
    };
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    let name = format!("linli_t{:016x}", h.finish());
    // On a thread of its own: the synchronous client may not run inside a test's tokio runtime.
    let base2 = base.clone();
    let n = name.clone();
    std::thread::spawn(move || {
        let mut c =
            postgres::Client::connect(&base2, postgres::NoTls).expect("the test PostgreSQL");
        let exists = c
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&n])
            .unwrap()
            .is_some();
        if !exists {
            c.batch_execute(&format!("CREATE DATABASE {n}")).unwrap();
        }
    })
    .join()
    .expect("creating a test database");
    // The base URL with its database replaced.
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h.to_string(), format!("?{q}")),
        None => (base.clone(), String::new()),
    };
    let at = head.rfind('/').expect("a database in LINLI_TEST_POSTGRES");
    format!("{}/{name}{query}", &head[..at])
}

/// Runs `f` on a thread of its own and returns its result: for database calls made from a test's async
/// code (the synchronous PostgreSQL client may not block a tokio runtime's thread).
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("panicked"))
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Today plus `offset` days, in China time.
pub fn day(offset: i64) -> Date {
    Date::from_unix_ms_cst(now_ms() as i64 + offset * 86_400_000)
}

/// Makes operations as one device would: fresh UUIDv7 ids, increasing HLC timestamps.
#[derive(Clone, Debug)]
pub struct Device {
    pub id: Uuid,
    pub author: String,
    pub community: String,
    n: u32,
}

impl Device {
    pub fn new(author: &str, community: &str) -> Device {
        Device {
            id: Uuid::now_v7(),
            author: author.into(),
            community: community.into(),
            n: 0,
        }
    }

    pub fn op(&mut self, kind: EntityKind, id: Uuid, body: Body) -> Operation {
        self.n += 1;
        Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::now_v7(),
            device_id: self.id,
            author: self.author.clone(),
            hlc: Hlc {
                ms: now_ms(),
                n: self.n,
            },
            community: self.community.clone(),
            entity: EntityRef { kind, id },
            body,
        }
    }

    pub fn compound(&mut self, name: &str) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::CompoundPut(CompoundFields {
            name: name.into(),
            address: String::new(),
            year_built: Some(1990),
        });
        (id, self.op(EntityKind::Compound, id, body))
    }

    pub fn building(&mut self, compound_id: Uuid, name: &str) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        (
            id,
            self.op(
                EntityKind::Building,
                id,
                Body::BuildingPut(BuildingFields {
                    compound_id,
                    name: name.into(),
                }),
            ),
        )
    }

    pub fn unit(&mut self, building_id: Uuid, name: &str) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        (
            id,
            self.op(
                EntityKind::Unit,
                id,
                Body::UnitPut(UnitFields {
                    building_id,
                    name: name.into(),
                }),
            ),
        )
    }

    pub fn household(&mut self, unit_id: Uuid, door: &str, area_m2: f64) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::HouseholdPut(HouseholdFields {
            unit_id,
            door: door.into(),
            area_m2,
            owners: 1,
        });
        (id, self.op(EntityKind::Household, id, body))
    }

    /// A renovation project of a compound whose survey runs from `opens` to `closes` (days from today,
    /// China time; negative is past), with `grace_days` of grace for late-arriving ballots.
    pub fn project(
        &mut self,
        compound_id: Uuid,
        name: &str,
        opens: i64,
        closes: i64,
        grace_days: u32,
        show_running_results: bool,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::ProjectPut(ProjectFields {
            compound_id,
            name: name.into(),
            kind: RenovationKind::Comprehensive,
            year_built: Some(1990),
            dangerous_c: 0,
            dangerous_d: 0,
            survey_opens: day(opens),
            survey_closes: day(closes),
            grace_days,
            show_running_results,
            notice_posted: None,
            design_notice_posted: None,
            consultation_rounds: Vec::new(),
            representative_meeting: None,
            return_rate_pct: None,
        });
        (id, self.op(EntityKind::Project, id, body))
    }

    /// A menu item of a project.
    pub fn menu_item(
        &mut self,
        project_id: Uuid,
        name: &str,
        class: ItemClass,
        owners_decision: bool,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::MenuItemPut(MenuItemFields {
            project_id,
            catalogue: None,
            class,
            name: name.into(),
            name_en: String::new(),
            description: format!("{name}：说明"),
            cost_yuan: 100_000.0,
            share_per_household_yuan: None,
            owners_decision,
            matter: Matter::Ordinary,
            position: 0,
            electorate: Default::default(),
        });
        (id, self.op(EntityKind::MenuItem, id, body))
    }

    /// A ballot recorded by this device (a staff member, from a paper form, unless `channel` says otherwise).
    pub fn ballot(
        &mut self,
        project_id: Uuid,
        household_id: Uuid,
        agree: bool,
        items: Vec<Uuid>,
        cast_at_ms: u64,
        channel: BallotChannel,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::BallotCast(BallotFields {
            project_id,
            household_id,
            agree,
            items,
            cast_at_ms,
            channel,
        });
        (id, self.op(EntityKind::Ballot, id, body))
    }

    /// A compound with one building and one unit: the three operations and the unit's id.
    pub fn place(&mut self) -> (Uuid, Vec<Operation>) {
        let (c, a) = self.compound("测试小区");
        let (b, bo) = self.building(c, "1号楼");
        let (u, uo) = self.unit(b, "1单元");
        (u, vec![a, bo, uo])
    }

    /// A person of a household (居民) with a phone and key groups (H4).
    pub fn person(
        &mut self,
        household_id: Uuid,
        name: &str,
        phone: &str,
        key_groups: Vec<KeyGroup>,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::PersonPut(PersonFields {
            household_id,
            name: name.into(),
            sex: None,
            birth_year: None,
            phone: phone.into(),
            key_groups,
            party_member: false,
            student: false,
        });
        (id, self.op(EntityKind::Person, id, body))
    }

    /// A published version of a form (`form_version.add`): the record's id and the operation.
    pub fn form_version(&mut self, form_id: Uuid, form: &Form) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::FormVersionAdd(FormVersionFields::from_form(form_id, form));
        (id, self.op(EntityKind::FormVersion, id, body))
    }

    /// A building assigned to a collector (`survey_assignment.put`).
    pub fn assignment(&mut self, building_id: Uuid, collector: &str) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::SurveyAssignmentPut(SurveyAssignmentFields {
            building_id,
            collector: collector.into(),
        });
        (id, self.op(EntityKind::SurveyAssignment, id, body))
    }

    /// A visit at a door by this device's author (`visit.add`).
    pub fn visit(
        &mut self,
        household_id: Uuid,
        status: HouseholdStatus,
        date: Date,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::VisitAdd(VisitFields {
            household_id,
            status,
            date,
            collector: self.author.clone(),
            note: String::new(),
        });
        (id, self.op(EntityKind::Visit, id, body))
    }

    /// A response collected by this device's author (`survey_response.add`) to the version `version`
    /// (its record id and fields), started and submitted at `times` (Unix ms), fixing `fixes` if given.
    pub fn response(
        &mut self,
        version: (Uuid, &FormVersionFields),
        household_id: Uuid,
        person_id: Option<Uuid>,
        answers: serde_json::Value,
        times: (u64, u64),
        fixes: Option<Uuid>,
    ) -> (Uuid, Operation) {
        let id = Uuid::now_v7();
        let body = Body::SurveyResponseAdd(SurveyResponseFields {
            form_id: version.1.form_id,
            form_version: version.1.version,
            form_version_id: version.0,
            household_id,
            person_id,
            answers: serde_json::from_value(answers).expect("answers are an object"),
            collector: self.author.clone(),
            device: self.id,
            started_at_ms: times.0,
            submitted_at_ms: times.1,
            fixes,
            seen: vec![],
        });
        (id, self.op(EntityKind::SurveyResponse, id, body))
    }

    /// Staff's verdict on a response (`response_review.add`), now.
    pub fn review(&mut self, response_id: Uuid, verdict: Verdict, comment: &str) -> Operation {
        let body = Body::ResponseReviewAdd(ResponseReviewFields {
            response_id,
            verdict,
            comment: comment.into(),
            by: self.author.clone(),
            at_ms: now_ms() - 1_000,
        });
        self.op(EntityKind::ResponseReview, Uuid::now_v7(), body)
    }

    pub fn push_request(&self, ops: Vec<Operation>) -> PushRequest {
        PushRequest {
            device_id: self.id,
            ops,
        }
    }
}

/// A logged-in HTTP client.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub login: Option<LoginResponse>,
}

impl Client {
    /// Logs in; panics with the server's answer if that fails (tests and the load generator only).
    pub async fn login(
        http: &reqwest::Client,
        base: &str,
        username: &str,
        password: &str,
    ) -> Result<Client, String> {
        let resp = http
            .post(format!("{base}/api/auth/login"))
            .json(&LoginRequest {
                username: username.into(),
                password: password.into(),
            })
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("login failed: {status} {text}"));
        }
        let login: LoginResponse = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(Client {
            http: http.clone(),
            base: base.into(),
            token: login.token.clone(),
            login: Some(login),
        })
    }

    pub async fn push(&self, req: &PushRequest) -> Result<PushResponse, String> {
        let resp = self
            .http
            .post(format!("{}/api/sync/push", self.base))
            .bearer_auth(&self.token)
            .json(req)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("push failed: {status} {text}"));
        }
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    pub async fn pull(&self, since: i64, limit: u32) -> Result<PullResponse, String> {
        let resp = self
            .http
            .get(format!(
                "{}/api/sync/pull?since={since}&limit={limit}",
                self.base
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("pull failed: {status} {text}"));
        }
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// Every operation after `since`, following the cursor.
    pub async fn pull_all(&self, mut since: i64) -> Result<Vec<Operation>, String> {
        let mut all = Vec::new();
        loop {
            let page = self
                .pull(since, linli_core::protocol::MAX_PULL_LIMIT)
                .await?;
            if page.ops.is_empty() {
                return Ok(all);
            }
            since = page.next;
            all.extend(page.ops);
        }
    }
}
