//! Focus areas, promises with their activities and progress, and action plans.
//!
//! Every read and write names the municipality, so one tenant never sees or
//! changes another's rows: a row of another municipality reads as absent.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use trygg_domain::{
    ActionPlan, ActionPlanId, ActionPlanInput, Activity, ActivityId, FocusArea, FocusAreaId,
    FocusKind, IndicatorLink, Key, LocalizedText, MunicipalityId, Period, ProgressEntry,
    ProgressId, Promise, PromiseId, Slug,
};
use uuid::Uuid;

use crate::entity::{action_plan, activity, focus_area, progress_entry, promise};
use crate::rows::ReadAs;
use crate::staff_texts::Decided;
use crate::tenant::Tenant;
use crate::{Store, StoreError};

impl Store {
    /// Stores a new focus area.
    pub async fn insert_focus_area(&self, f: &FocusArea) -> Result<(), StoreError> {
        focus_area::Entity::insert(focus_area::ActiveModel {
            id: Set(f.id.as_uuid()),
            municipality_id: Set(f.municipality_id.as_uuid()),
            name: Set(f.name.clone()),
            kind: Set(f.kind.as_str().to_owned()),
            area_code: Set(f.area_code.as_ref().map(|k| k.as_str().to_owned())),
            starts_on: Set(f.period.starts_on()),
            ends_on: Set(f.period.ends_on()),
            rationale: Set(f.rationale.clone()),
        })
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// A municipality's focus areas, newest period first.
    pub async fn focus_areas(&self, m: MunicipalityId) -> Result<Vec<FocusArea>, StoreError> {
        focus_area::Entity::of(m)
            .order_by_desc(focus_area::Column::StartsOn)
            .order_by_asc(focus_area::Column::Id)
            .read_all(&self.db, focus_area_from_row)
            .await
    }

    /// One focus area of the municipality.
    pub async fn focus_area(
        &self,
        m: MunicipalityId,
        id: FocusAreaId,
    ) -> Result<Option<FocusArea>, StoreError> {
        focus_area::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, focus_area_from_row)
            .await
    }

    /// Stores a promise with whatever activities and progress it holds, in one transaction.
    pub async fn insert_promise(&self, p: &Promise) -> Result<(), StoreError> {
        let txn = self.db.begin().await?;
        promise::Entity::insert(promise::ActiveModel {
            id: Set(p.id.as_uuid()),
            municipality_id: Set(p.municipality_id.as_uuid()),
            focus_area_id: Set(p.focus_area_id.as_uuid()),
            title: Set(json(&p.title)?),
            starts_on: Set(p.period.starts_on()),
            ends_on: Set(p.period.ends_on()),
            parties: Set(json(&p.parties)?),
            expected_effect: Set(json(&p.expected_effect)?),
            indicator_key: Set(p.indicator.as_ref().map(|i| i.indicator.to_string())),
            baseline_survey: Set(p.indicator.as_ref().map(|i| i.baseline_survey.to_string())),
            indicator_area: Set(p.indicator.as_ref().map(|i| i.area_code.to_string())),
        })
        .exec(&txn)
        .await?;
        for a in &p.activities {
            insert_activity(&txn, p.municipality_id, a).await?;
            for e in &a.progress {
                insert_progress(&txn, p.municipality_id, e).await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }

    /// Adds an activity to a stored promise of the municipality.
    pub async fn insert_activity(&self, m: MunicipalityId, a: &Activity) -> Result<(), StoreError> {
        insert_activity(&self.db, m, a).await
    }

    /// Adds a progress entry to a stored activity of the municipality.
    pub async fn insert_progress(
        &self,
        m: MunicipalityId,
        e: &ProgressEntry,
    ) -> Result<(), StoreError> {
        insert_progress(&self.db, m, e).await
    }

    /// Removes a promise with its activities and progress.
    pub async fn delete_promise(
        &self,
        m: MunicipalityId,
        id: PromiseId,
    ) -> Result<bool, StoreError> {
        let result = promise::Entity::delete_of(m, id.as_uuid())
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected > 0)
    }

    /// A municipality's promises as the public may see them: each progress
    /// entry's text only if published (as written, or as a moderator redacted
    /// it; empty while it waits for a moderator or once rejected), and no
    /// internal notes. Staff pages read [`Store::promises_as_written`].
    pub async fn promises(&self, m: MunicipalityId) -> Result<Vec<Promise>, StoreError> {
        let decisions = self.staff_text_decisions(m).await?;
        let mut promises = self.promises_as_written(m).await?;
        for e in promises
            .iter_mut()
            .flat_map(|p| p.activities.iter_mut())
            .flat_map(|a| a.progress.iter_mut())
        {
            e.text = Decided::public(decisions.get(&e.id.as_uuid()), &e.text)
                .unwrap_or_default()
                .to_owned();
            e.note = None;
        }
        Ok(promises)
    }

    /// A municipality's promises with their activities and progress as written,
    /// internal notes included, by period and creation: for staff only.
    pub async fn promises_as_written(&self, m: MunicipalityId) -> Result<Vec<Promise>, StoreError> {
        let rows = promise::Entity::of(m)
            .order_by_desc(promise::Column::StartsOn)
            .order_by_asc(promise::Column::Id)
            .all(&self.db)
            .await?;
        let activities = activity::Entity::of(m)
            .order_by_asc(activity::Column::Id)
            .all(&self.db)
            .await?;
        let progress = progress_entry::Entity::of(m)
            .order_by_asc(progress_entry::Column::DoneOn)
            .order_by_asc(progress_entry::Column::Id)
            .all(&self.db)
            .await?;
        assemble(rows, activities, progress)
    }

    /// One promise of the municipality, with activities and progress.
    pub async fn promise(
        &self,
        m: MunicipalityId,
        id: PromiseId,
    ) -> Result<Option<Promise>, StoreError> {
        let Some(row) = promise::Entity::one_of(m, id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let activities = activity::Entity::find()
            .filter(activity::Column::PromiseId.eq(id.as_uuid()))
            .filter(activity::Column::MunicipalityId.eq(m.as_uuid()))
            .order_by_asc(activity::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = activities.iter().map(|a| a.id).collect();
        let progress = progress_entry::Entity::find()
            .filter(progress_entry::Column::ActivityId.is_in(ids))
            .filter(progress_entry::Column::MunicipalityId.eq(m.as_uuid()))
            .order_by_asc(progress_entry::Column::DoneOn)
            .order_by_asc(progress_entry::Column::Id)
            .all(&self.db)
            .await?;
        Ok(assemble(vec![row], activities, progress)?
            .into_iter()
            .next())
    }

    /// The promise that holds activity `id`, if it is the municipality's.
    pub async fn promise_of_activity(
        &self,
        m: MunicipalityId,
        id: ActivityId,
    ) -> Result<Option<Promise>, StoreError> {
        let Some(row) = activity::Entity::one_of(m, id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        self.promise(m, PromiseId::from_uuid(row.promise_id)).await
    }

    /// Stores or replaces an action plan as a whole.
    pub async fn save_action_plan(&self, plan: &ActionPlan) -> Result<(), StoreError> {
        let document = serde_json::json!({
            "areas": plan.areas,
            "check_dates": plan.check_dates.iter().map(iso).collect::<Vec<_>>(),
            "midterm_review": plan.midterm_review,
            "meetings": plan.meetings,
        });
        let model = action_plan::ActiveModel {
            id: Set(plan.id.as_uuid()),
            municipality_id: Set(plan.municipality_id.as_uuid()),
            title: Set(plan.title.clone()),
            starts_on: Set(plan.period.starts_on()),
            ends_on: Set(plan.period.ends_on()),
            document: Set(document.to_string()),
        };
        let txn = self.db.begin().await?;
        action_plan::Entity::delete_of(plan.municipality_id, plan.id.as_uuid())
            .exec(&txn)
            .await?;
        action_plan::Entity::insert(model).exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    /// A municipality's action plans, newest first.
    pub async fn action_plans(&self, m: MunicipalityId) -> Result<Vec<ActionPlan>, StoreError> {
        action_plan::Entity::of(m)
            .order_by_desc(action_plan::Column::StartsOn)
            .read_all(&self.db, action_plan_from_row)
            .await
    }

    /// One action plan of the municipality.
    pub async fn action_plan(
        &self,
        m: MunicipalityId,
        id: ActionPlanId,
    ) -> Result<Option<ActionPlan>, StoreError> {
        action_plan::Entity::one_of(m, id.as_uuid())
            .read_one(&self.db, action_plan_from_row)
            .await
    }
}

async fn insert_activity(
    db: &impl ConnectionTrait,
    m: MunicipalityId,
    a: &Activity,
) -> Result<(), StoreError> {
    activity::Entity::insert(activity::ActiveModel {
        id: Set(a.id.as_uuid()),
        municipality_id: Set(m.as_uuid()),
        promise_id: Set(a.promise_id.as_uuid()),
        title: Set(json(&a.title)?),
        owner: Set(a.owner.clone()),
        target: Set(i32::try_from(a.target).map_err(StoreError::corrupt)?),
        unit: Set(a.unit.clone()),
        starts_on: Set(a.starts_on),
        due_on: Set(a.due_on),
    })
    .exec(db)
    .await?;
    Ok(())
}

async fn insert_progress(
    db: &impl ConnectionTrait,
    m: MunicipalityId,
    e: &ProgressEntry,
) -> Result<(), StoreError> {
    progress_entry::Entity::insert(progress_entry::ActiveModel {
        id: Set(e.id.as_uuid()),
        municipality_id: Set(m.as_uuid()),
        activity_id: Set(e.activity_id.as_uuid()),
        done_on: Set(e.on),
        amount: Set(i32::try_from(e.amount).map_err(StoreError::corrupt)?),
        text: Set(e.text.clone()),
        note: Set(e.note.clone()),
    })
    .exec(db)
    .await?;
    Ok(())
}

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::corrupt)
}

fn iso(date: &time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn text(raw: &str, what: &str) -> Result<LocalizedText, StoreError> {
    let parsed: LocalizedText = serde_json::from_str(raw).map_err(StoreError::corrupt)?;
    LocalizedText::parse_long(parsed, trygg_domain::MAX_LONG_TEXT, what)
        .map_err(StoreError::corrupt)
}

fn focus_area_from_row(row: focus_area::Model) -> Result<FocusArea, StoreError> {
    Ok(FocusArea {
        id: FocusAreaId::from_uuid(row.id),
        municipality_id: MunicipalityId::from_uuid(row.municipality_id),
        name: row.name,
        kind: FocusKind::parse(&row.kind, "focus_area.kind").map_err(StoreError::corrupt)?,
        area_code: row
            .area_code
            .map(|c| Key::parse(&c, "focus_area.area_code"))
            .transpose()
            .map_err(StoreError::corrupt)?,
        period: Period::parse(row.starts_on, row.ends_on, "focus_area.ends_on")
            .map_err(StoreError::corrupt)?,
        rationale: row.rationale,
    })
}

fn assemble(
    rows: Vec<promise::Model>,
    activities: Vec<activity::Model>,
    progress: Vec<progress_entry::Model>,
) -> Result<Vec<Promise>, StoreError> {
    let mut promises = rows
        .into_iter()
        .map(promise_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut parsed: Vec<Activity> = activities
        .into_iter()
        .map(activity_from_row)
        .collect::<Result<_, _>>()?;
    for e in progress {
        if let Some(a) = parsed.iter_mut().find(|a| a.id.as_uuid() == e.activity_id) {
            a.progress.push(ProgressEntry {
                id: ProgressId::from_uuid(e.id),
                activity_id: a.id,
                on: e.done_on,
                amount: u32::try_from(e.amount).map_err(StoreError::corrupt)?,
                text: e.text,
                note: e.note,
            });
        }
    }
    for a in parsed {
        if let Some(p) = promises.iter_mut().find(|p| p.id == a.promise_id) {
            p.activities.push(a);
        }
    }
    Ok(promises)
}

fn promise_from_row(row: promise::Model) -> Result<Promise, StoreError> {
    let indicator = match (row.indicator_key, row.baseline_survey, row.indicator_area) {
        (Some(key), Some(survey), Some(area)) => Some(IndicatorLink {
            indicator: Key::parse(&key, "promise.indicator_key").map_err(StoreError::corrupt)?,
            baseline_survey: Slug::parse(&survey, "promise.baseline_survey")
                .map_err(StoreError::corrupt)?,
            area_code: Key::parse(&area, "promise.indicator_area").map_err(StoreError::corrupt)?,
        }),
        _ => None,
    };
    Ok(Promise {
        id: PromiseId::from_uuid(row.id),
        municipality_id: MunicipalityId::from_uuid(row.municipality_id),
        focus_area_id: FocusAreaId::from_uuid(row.focus_area_id),
        title: text(&row.title, "promise.title")?,
        period: Period::parse(row.starts_on, row.ends_on, "promise.ends_on")
            .map_err(StoreError::corrupt)?,
        parties: serde_json::from_str(&row.parties).map_err(StoreError::corrupt)?,
        expected_effect: text(&row.expected_effect, "promise.expected_effect")?,
        indicator,
        activities: Vec::new(),
    })
}

fn activity_from_row(row: activity::Model) -> Result<Activity, StoreError> {
    Ok(Activity {
        id: ActivityId::from_uuid(row.id),
        promise_id: PromiseId::from_uuid(row.promise_id),
        title: text(&row.title, "activity.title")?,
        owner: row.owner,
        target: u32::try_from(row.target).map_err(StoreError::corrupt)?,
        unit: row.unit,
        starts_on: row.starts_on,
        due_on: row.due_on,
        progress: Vec::new(),
    })
}

fn action_plan_from_row(row: action_plan::Model) -> Result<ActionPlan, StoreError> {
    let mut document: serde_json::Value =
        serde_json::from_str(&row.document).map_err(StoreError::corrupt)?;
    if let Some(object) = document.as_object_mut() {
        object.insert("title".into(), row.title.into());
        object.insert("starts_on".into(), iso(&row.starts_on).into());
        object.insert("ends_on".into(), iso(&row.ends_on).into());
    }
    let input: ActionPlanInput = serde_json::from_value(document).map_err(StoreError::corrupt)?;
    let plan = ActionPlan::parse(input, MunicipalityId::from_uuid(row.municipality_id))
        .map_err(StoreError::corrupt)?;
    Ok(ActionPlan {
        id: ActionPlanId::from_uuid(row.id),
        ..plan
    })
}
