//! The service's world as data: regions, instances (each with at most one role), roles,
//! and access keys. Read from and written to the JSON of `--state` and `/_mock/state`.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use crate::response::xml::is_xml_char;
use crate::signing::credentials::AccessKeySecret;

/// Whether an instance is in a VPC or on the classic network, which takes no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkType {
    /// `vpc`: roles can be attached.
    Vpc,
    /// `classic`: attaching a role fails with `InvalidNetworkType.MismatchRamRole`.
    Classic,
}

/// An ECS instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// The region it lives in, e.g. `cn-hangzhou`.
    pub region: String,
    /// The instance ID, e.g. `i-bp67acfmxazb4p****`.
    pub id: String,
    /// `vpc` (the default) or `classic`.
    #[serde(default = "vpc")]
    pub network_type: NetworkType,
    /// The attached role, if any: an instance has at most one.
    #[serde(default)]
    pub ram_role: Option<String>,
}

fn vpc() -> NetworkType {
    NetworkType::Vpc
}

/// A RAM role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role name.
    pub name: String,
    /// Whether its trust policy lets ECS assume it (default `true`); attaching one that
    /// does not fails with `InvalidRamRole.NotEcsRole`.
    #[serde(default = "yes")]
    pub ecs_trusted: bool,
}

fn yes() -> bool {
    true
}

/// An access key the service accepts signatures from.
#[derive(Debug, Clone)]
pub struct AccessKey {
    id: String,
    secret: AccessKeySecret,
    can_pass_role: bool,
}

impl AccessKey {
    /// A key that may pass roles (`ram:PassRole`).
    ///
    /// # Errors
    /// [`ConfigError`] for an empty ID.
    pub fn new(id: impl Into<String>, secret: AccessKeySecret) -> Result<Self, ConfigError> {
        let id = id.into();
        if id.is_empty() {
            return Err(ConfigError::invalid(
                "access_keys[].id",
                "must not be empty",
            ));
        }
        Ok(Self {
            id,
            secret,
            can_pass_role: true,
        })
    }

    /// Whether the key may pass a role to ECS (without it, Attach answers 403
    /// `InvalidUser.PassRoleForbidden`).
    pub fn with_can_pass_role(mut self, can: bool) -> Self {
        self.can_pass_role = can;
        self
    }

    /// The AccessKey ID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The secret (prints as `<redacted>`).
    pub fn secret(&self) -> &AccessKeySecret {
        &self.secret
    }

    /// Whether the key may pass roles.
    pub fn can_pass_role(&self) -> bool {
        self.can_pass_role
    }
}

/// The JSON of an access key: the secret may be left out for a key the service already
/// knows (`GET /_mock/state` never shows it), which keeps its secret.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccessKeyJson {
    id: String,
    #[serde(default, skip_serializing)]
    secret: Option<String>,
    #[serde(default = "yes")]
    can_pass_role: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateJson {
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    instances: Vec<Instance>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    access_keys: Vec<AccessKeyJson>,
}

/// What the mock service knows: checked when built, so every instance's role exists, IDs
/// and names are unique, and a classic-network instance has no role.
///
/// ```
/// use ecs_ramrole::service::State;
///
/// let state = State::from_json(r#"{
///   "instances": [{"region": "cn-hangzhou", "id": "i-1", "network_type": "vpc", "ram_role": null}],
///   "roles": [{"name": "EcsRole", "ecs_trusted": true}],
///   "access_keys": [{"id": "testid", "secret": "testsecret", "can_pass_role": true}]}"#)?;
/// assert_eq!(state.instance("i-1").unwrap().ram_role, None);
/// assert!(!state.to_json().contains("testsecret"));
///
/// let err = State::from_json(r#"{"instances": [{"region": "r", "id": "i-1", "ram_role": "Nope"}]}"#)
///     .unwrap_err();
/// assert_eq!(err.to_string(), "instances[0].ram_role: no role is named \"Nope\"");
/// # Ok::<(), ecs_ramrole::service::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct State {
    regions: Vec<String>,
    instances: Vec<Instance>,
    roles: Vec<Role>,
    access_keys: Vec<AccessKey>,
}

impl State {
    /// Reads the state JSON: `regions` (optional: when given, any other `RegionId` is
    /// `InvalidRegionId.NotFound`), `instances`, `roles` and `access_keys`, each optional;
    /// unknown fields are refused.
    ///
    /// # Errors
    /// [`ConfigError`]: the JSON's line and column, or the path of the offending value.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        Self::from_json_keeping(json, |_| None)
    }

    /// As [`State::from_json`], a key given without `secret` taking `known`'s secret for
    /// its ID: what `PUT /_mock/state` does with what `GET` returned.
    pub(crate) fn from_json_keeping(
        json: &str,
        known: impl Fn(&str) -> Option<AccessKeySecret>,
    ) -> Result<Self, ConfigError> {
        let raw: StateJson = serde_json::from_str(json).map_err(ConfigError::json)?;
        let mut access_keys = Vec::with_capacity(raw.access_keys.len());
        for (i, key) in raw.access_keys.into_iter().enumerate() {
            let path = |field: &str| format!("access_keys[{i}].{field}");
            let secret = match key.secret {
                Some(secret) => AccessKeySecret::new(secret)
                    .map_err(|_| ConfigError::invalid(path("secret"), "must not be empty"))?,
                None => known(&key.id).ok_or_else(|| {
                    ConfigError::invalid(path("secret"), "required for a key not already known")
                })?,
            };
            let key = AccessKey::new(key.id, secret)
                .map_err(|_| ConfigError::invalid(path("id"), "must not be empty"))?
                .with_can_pass_role(key.can_pass_role);
            access_keys.push(key);
        }
        Self::new(raw.regions, raw.instances, raw.roles, access_keys)
    }

    /// Builds a state from its parts, checking them as [`State::from_json`] does.
    ///
    /// # Errors
    /// [`ConfigError`] with the path of the first offending value.
    pub fn new(
        regions: Vec<String>,
        instances: Vec<Instance>,
        roles: Vec<Role>,
        access_keys: Vec<AccessKey>,
    ) -> Result<Self, ConfigError> {
        unique("regions", regions.iter().map(String::as_str))?;
        unique("instances", instances.iter().map(|i| i.id.as_str()))?;
        unique("roles", roles.iter().map(|r| r.name.as_str()))?;
        unique("access_keys", access_keys.iter().map(AccessKey::id))?;
        for (i, instance) in instances.iter().enumerate() {
            let path = |field: &str| format!("instances[{i}].{field}");
            text(&path("region"), &instance.region)?;
            if !regions.is_empty() && !regions.contains(&instance.region) {
                return Err(ConfigError::invalid(path("region"), "not one of regions"));
            }
            if let Some(role) = &instance.ram_role {
                if !roles.iter().any(|r| &r.name == role) {
                    return Err(ConfigError::invalid(
                        path("ram_role"),
                        format!("no role is named {role:?}"),
                    ));
                }
                if instance.network_type == NetworkType::Classic {
                    return Err(ConfigError::invalid(
                        path("ram_role"),
                        "a classic-network instance takes no role",
                    ));
                }
            }
        }
        Ok(Self {
            regions,
            instances,
            roles,
            access_keys,
        })
    }

    /// The state JSON, in the shape [`State::from_json`] reads, secrets left out.
    pub fn to_json(&self) -> String {
        let view = StateJson {
            regions: self.regions.clone(),
            instances: self.instances.clone(),
            roles: self.roles.clone(),
            access_keys: self
                .access_keys
                .iter()
                .map(|k| AccessKeyJson {
                    id: k.id.clone(),
                    secret: None,
                    can_pass_role: k.can_pass_role,
                })
                .collect(),
        };
        // Plain strings, bools and lists: serializing cannot fail.
        serde_json::to_string(&view).unwrap_or_default()
    }

    /// The regions, when restricted (empty: any region is served).
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// Every instance, in the order given.
    pub fn instances(&self) -> &[Instance] {
        &self.instances
    }

    /// One instance, by ID.
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }

    pub(crate) fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.iter_mut().find(|i| i.id == id)
    }

    /// Every role.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// One role, by name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// Every access key.
    pub fn access_keys(&self) -> &[AccessKey] {
        &self.access_keys
    }

    /// One access key, by ID.
    pub fn access_key(&self, id: &str) -> Option<&AccessKey> {
        self.access_keys.iter().find(|k| k.id == id)
    }

    /// Adds keys, replacing any of the same ID (what `--credentials` does, again after
    /// every `PUT /_mock/state`).
    pub fn add_access_keys(&mut self, keys: &[AccessKey]) {
        for key in keys {
            self.access_keys.retain(|k| k.id != key.id);
            self.access_keys.push(key.clone());
        }
    }
}

/// Every name in a list non-empty, writable in XML, and given once.
fn unique<'a>(list: &str, names: impl Iterator<Item = &'a str>) -> Result<(), ConfigError> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, name) in names.enumerate() {
        text(&format!("{list}[{i}]"), name)?;
        if !seen.insert(name) {
            return Err(ConfigError::invalid(
                format!("{list}[{i}]"),
                format!("{name:?} is given twice"),
            ));
        }
    }
    Ok(())
}

/// A name the service echoes back: non-empty, and free of characters XML cannot carry.
fn text(path: &str, value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::invalid(path, "must not be empty"));
    }
    if value.chars().any(|c| !is_xml_char(c) || c == '\r') {
        return Err(ConfigError::invalid(path, "holds a control character"));
    }
    Ok(())
}
