//! The demo's follow-up: two focus areas chosen from the lägesbild (Bro centrum and
//! Kungsängen centrum), a medborgarlöfte for each with three countable activities
//! and their progress, an åtgärdsplan, and a trygghetsvandring in Bro with eight
//! findings of which some are fixed. Modelled on the seed texts; every name of a
//! person is left out, and the municipality is labelled synthetic.

use serde_json::{Value, json};
use time::Date;
use time::macros::date;
use trygg_domain::{
    ActionPlan, Activity, Finding, FocusArea, Municipality, ProgressEntry, Promise, SafetyWalk,
    StatusInput,
};
use trygg_store::Store;

/// The day the demo's progress was last brought up to date; progress is never dated later.
const RECORDED_ON: Date = date!(2026 - 12 - 01);

/// Stores the demo's focus areas, promises, action plan and walk.
pub async fn load(store: &Store, municipality: &Municipality) -> anyhow::Result<()> {
    let m = municipality.id;
    for (focus, promise) in [bro(), kungsangen()] {
        let focus = FocusArea::parse(serde_json::from_value(focus)?, m)?;
        store.insert_focus_area(&focus).await?;
        let (mut promise_input, activities) = promise;
        if let Some(object) = promise_input.as_object_mut() {
            object.insert("focus_area_id".into(), json!(focus.id.as_uuid()));
        }
        let mut promise = Promise::parse(serde_json::from_value(promise_input)?, m)?;
        for (activity, progress) in activities {
            let mut activity = Activity::parse(serde_json::from_value(activity)?, &promise)?;
            for (on, amount, text) in progress {
                let input = json!({"on": on, "amount": amount, "text": text});
                let entry =
                    ProgressEntry::parse(serde_json::from_value(input)?, &activity, RECORDED_ON)?;
                activity.progress.push(entry);
            }
            promise.activities.push(activity);
        }
        store.insert_promise(&promise).await?;
    }
    store
        .save_action_plan(&ActionPlan::parse(
            serde_json::from_value(action_plan())?,
            m,
        )?)
        .await?;
    let walk = SafetyWalk::parse(serde_json::from_value(walk())?, m)?;
    store.insert_walk(&walk).await?;
    for (finding, status) in findings() {
        let mut finding = Finding::parse(serde_json::from_value(finding)?, &walk)?;
        if let Some(status) = status {
            let status: StatusInput = serde_json::from_value(status)?;
            finding.update(&status, RECORDED_ON)?;
        }
        store.save_finding(m, &finding).await?;
    }
    Ok(())
}

type Progress = Vec<(&'static str, u32, &'static str)>;
type PromiseSpec = (Value, Vec<(Value, Progress)>);

fn bro() -> (Value, PromiseSpec) {
    let focus = json!({
        "name": "Bro centrum", "kind": "place", "area_code": "bro",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "rationale": "Bro har högst andel som känner sig otrygga ute sent en kväll i trygghetsmätningen 2023, \
                      och flest otrygga platser är utpekade i Bro centrum och vid stationen, mest kvällstid. \
                      Platserna lyftes också i medborgardialogerna."
    });
    let promise = json!({
        "title": {"sv": "Tryggare Bro centrum och stationsområde kvällstid",
                  "en": "A safer Bro centre and station area in the evening"},
        "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "parties": ["Lokalpolisområde Järfälla/Upplands-Bro", "Upplands-Bro kommun"],
        "expected_effect": {"sv": "Färre i Bro känner sig otrygga ute sent en kväll, och centrum och stationen upplevs som tryggare platser.",
                            "en": "Fewer people in Bro feel unsafe out late in the evening, and the centre and station feel safer."},
        "indicator": {"indicator": "evening_unsafe", "baseline_survey": "trygghetsmatning-2023", "area_code": "bro"}
    });
    let activities = vec![
        (
            json!({"title": {"sv": "Gemensamma insatser med synlig närvaro av polis, polisvolontärer och trygghetsvärdar",
                             "en": "Joint operations with visible presence of police, volunteers and safety hosts"},
                   "owner": "Polisen och kommunen", "target": 8, "unit": "insatser", "due_on": "2026-12-31"}),
            vec![
                (
                    "2026-02-13",
                    1,
                    "Gemensam kvällsinsats i Bro centrum med polis och trygghetsvärdar.",
                ),
                (
                    "2026-03-20",
                    1,
                    "Insats vid Bro station under fredagskvällen.",
                ),
                (
                    "2026-04-24",
                    1,
                    "Synlig närvaro i centrum i samband med lovet.",
                ),
                ("2026-06-05", 1, "Insats kring skolavslutningen i Bro."),
                (
                    "2026-08-28",
                    1,
                    "Kvällsinsats vid stationen med polisvolontärer.",
                ),
                (
                    "2026-09-25",
                    1,
                    "Gemensam insats i centrum och på stationsområdet.",
                ),
                (
                    "2026-11-06",
                    1,
                    "Insats i Bro centrum inför mörkerperioden.",
                ),
            ],
        ),
        (
            json!({"title": {"sv": "Narkotikainsatser där polis och socialtjänst samverkar",
                             "en": "Drug operations with police and social services together"},
                   "owner": "Polisen", "target": 4, "unit": "insatser", "due_on": "2026-12-31"}),
            vec![
                (
                    "2026-03-12",
                    1,
                    "Planerad narkotikainsats i centrum med socialtjänsten.",
                ),
                (
                    "2026-06-18",
                    1,
                    "Insats vid stationsområdet; socialtjänsten följde upp med unga.",
                ),
                (
                    "2026-09-10",
                    1,
                    "Narkotikainsats i Bro med fältassistenter.",
                ),
                ("2026-11-19", 1, "Fjärde planerade insatsen genomförd."),
            ],
        ),
        (
            json!({"title": {"sv": "Nattvandringar med föreningar i Bro",
                             "en": "Night walks with local associations in Bro"},
                   "owner": "Kommunen och föreningar", "target": 20, "unit": "nattvandringar", "due_on": "2026-12-31"}),
            vec![
                (
                    "2026-03-31",
                    4,
                    "Fyra nattvandringar under första kvartalet.",
                ),
                (
                    "2026-05-31",
                    4,
                    "Nattvandringar under våren, bland annat valborg.",
                ),
                ("2026-07-31", 3, "Sommarens nattvandringar."),
                ("2026-09-30", 4, "Nattvandringar vid skolstarten."),
                ("2026-11-30", 4, "Nattvandringar under hösten."),
            ],
        ),
    ];
    (focus, (promise, activities))
}

fn kungsangen() -> (Value, PromiseSpec) {
    let focus = json!({
        "name": "Kungsängen centrum", "kind": "place", "area_code": "kungsangen",
        "starts_on": "2026-07-01", "ends_on": "2027-06-30",
        "rationale": "Näst flest utpekade platser efter Bro, samlade kring Kungsängens centrum och \
                      gångtunneln vid pendeltågsstationen, som många beskriver som mörk."
    });
    let promise = json!({
        "title": {"sv": "Tryggare Kungsängens centrum och pendeltågsstation",
                  "en": "A safer Kungsängen centre and commuter station"},
        "starts_on": "2026-07-01", "ends_on": "2027-06-30",
        "parties": ["Lokalpolisområde Järfälla/Upplands-Bro", "Upplands-Bro kommun", "Bostadsbolaget"],
        "expected_effect": {"sv": "Färre upplever centrum och gångtunneln som otrygga kvällstid.",
                            "en": "Fewer people find the centre and the underpass unsafe in the evening."},
        "indicator": {"indicator": "evening_unsafe", "baseline_survey": "trygghetsmatning-2023", "area_code": "kungsangen"}
    });
    let activities = vec![
        (
            json!({"title": {"sv": "Förstärkt belysning i gångtunneln vid pendeltågsstationen",
                             "en": "Stronger lighting in the underpass by the commuter station"},
                   "owner": "Kommunen, tekniska förvaltningen", "target": 1, "unit": "ombyggnad",
                   "starts_on": "2027-01-15", "due_on": "2027-04-30"}),
            vec![],
        ),
        (
            json!({"title": {"sv": "Trygghetsvärdar i centrum fredag och lördag kväll",
                             "en": "Safety hosts in the centre on Friday and Saturday evenings"},
                   "owner": "Kommunen", "target": 40, "unit": "kvällar", "due_on": "2027-06-30"}),
            vec![
                ("2026-08-29", 5, "Trygghetsvärdar fem kvällar i augusti."),
                ("2026-09-26", 5, "Fem kvällar i september."),
                ("2026-10-31", 4, "Fyra kvällar i oktober."),
                ("2026-11-28", 4, "Fyra kvällar i november."),
            ],
        ),
        (
            json!({"title": {"sv": "Träffar med grannsamverkan och bostadsbolaget om inbrottsskydd",
                             "en": "Meetings with neighbourhood watch and the housing company on burglary prevention"},
                   "owner": "Polisen", "target": 6, "unit": "träffar", "due_on": "2027-06-30"}),
            vec![
                (
                    "2026-08-20",
                    1,
                    "Träff med kontaktpersoner för grannsamverkan.",
                ),
                (
                    "2026-10-08",
                    1,
                    "Träff med bostadsbolaget om lås och belysning i trapphus.",
                ),
                ("2026-11-12", 1, "Öppen träff om inbrottsskydd inför jul."),
            ],
        ),
    ];
    (focus, (promise, activities))
}

fn action_plan() -> Value {
    json!({
        "title": "Åtgärdsplan 2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "areas": [
            {"name": "Trygghet på offentlig plats", "activities": [
                {"title": "Gemensamma insatser i Bro centrum", "owner": "Polisen och kommunen", "follow_up": "antal insatser per kvartal"},
                {"title": "Trygghetsvandringar i Bro, Kungsängen och Brunna", "owner": "Kommunen", "follow_up": "fynd åtgärdade inom sex månader"}]},
            {"name": "Insatser mot droghandel och öppna drogscener", "activities": [
                {"title": "Narkotikainsatser med socialtjänsten", "owner": "Polisen", "follow_up": "antal insatser"}]},
            {"name": "Arbete med ungdomar i riskzon", "activities": [
                {"title": "SSPF-möten skola, socialtjänst, polis, fritid", "owner": "Kommunen", "follow_up": "antal ärenden"}]},
            {"name": "Inbrott i bostad", "activities": [
                {"title": "Grannsamverkan med bostadsbolagen", "owner": "Polisen", "follow_up": "antal träffar"}]}
        ],
        "midterm_review": {"held_on": "2026-06-24",
            "cooperation": "Samverkan på chefsnivå och de kvartalsvisa avstämningarna fungerar; samordnarna träffas varannan vecka.",
            "implementation": "Hälften av de planerade insatserna i Bro är genomförda; belysningsarbetet i Kungsängen har flyttats till 2027.",
            "results": "För tidigt att se effekt i trygghetsmätningen; antalet anmälda brott i Bro centrum är oförändrat."},
        "meetings": [
            {"held_on": "2026-02-10", "kind": "Chefssamråd", "decisions": ["Bro centrum och Kungsängen centrum blir fokusområden för 2026."]},
            {"held_on": "2026-09-15", "kind": "Chefssamråd", "decisions": ["Fler insatser vid Bro station under hösten.", "Trygghetsvandring i Bro den 22 september."]}
        ]
    })
}

fn walk() -> Value {
    json!({
        "title": "Trygghetsvandring i Bro centrum", "area_code": "bro", "walked_on": "2026-09-22",
        "route": [[17.6335, 59.512], [17.6362, 59.5104], [17.642, 59.5075], [17.6375, 59.5095],
                  [17.6300, 59.5140], [17.626, 59.5165]],
        "stops": ["Bro centrum", "Gångvägen mot stationen", "Bro station", "Lekplatsen", "Bron på Prästhagsvägen"],
        "participants": ["Polisen", "Upplands-Bro kommun", "Bostadsbolaget", "Räddningstjänsten", "Boende i Bro"]
    })
}

fn findings() -> Vec<(Value, Option<Value>)> {
    let f = |lon: f64, lat: f64, category: &str, note: &str, responsible: &str| json!({"location": [lon, lat], "category": category, "note": note, "responsible": responsible});
    vec![
        (
            f(
                17.6412,
                59.5079,
                "lighting",
                "Trasig belysning i gångtunneln under järnvägen vid Bro station",
                "Tekniska förvaltningen",
            ),
            Some(json!({"status": "fixed", "fixed_on": "2026-10-15"})),
        ),
        (
            f(
                17.6368,
                59.5100,
                "vegetation",
                "Buskage skymmer sikten längs gångvägen mot stationen",
                "Gatu- och parkenheten",
            ),
            Some(json!({"status": "fixed", "fixed_on": "2026-10-02"})),
        ),
        (
            f(
                17.6338,
                59.5117,
                "graffiti",
                "Klotter på busskuren vid Bro centrum",
                "Bostadsbolaget",
            ),
            Some(json!({"status": "fixed", "fixed_on": "2026-09-29"})),
        ),
        (
            f(
                17.6329,
                59.5124,
                "litter",
                "Nedskräpning bakom centrumhuset",
                "Fastighetsägaren",
            ),
            Some(json!({"status": "planned"})),
        ),
        (
            f(
                17.6345,
                59.5128,
                "lighting",
                "Mörkt parti på parkeringen vid centrum, två armaturer saknas",
                "Tekniska förvaltningen",
            ),
            Some(json!({"status": "planned", "due_on": "2027-03-31"})),
        ),
        (
            f(
                17.6377,
                59.5094,
                "vandalism",
                "Sönderslagen belysningsstolpe vid lekplatsen",
                "Tekniska förvaltningen",
            ),
            None,
        ),
        (
            f(
                17.6302,
                59.5138,
                "other",
                "Skymd sikt vid övergångsstället på Enköpingsvägen",
                "Trafikverket",
            ),
            Some(
                json!({"status": "wont_fix", "reason": "Vägen är statlig; kommunen har lämnat ärendet till Trafikverket."}),
            ),
        ),
        (
            f(
                17.6262,
                59.5163,
                "vegetation",
                "Igenvuxen slänt vid bron på Prästhagsvägen",
                "Gatu- och parkenheten",
            ),
            Some(json!({"status": "fixed", "fixed_on": "2026-11-12"})),
        ),
    ]
}
