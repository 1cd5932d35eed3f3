//! The driver's result tables as [`Rows`]: column names as Snowflake
//! returned them, every cell as Snowflake's JSON format carries it (text or
//! NULL), booleans spelt `true`/`false` as the local account spells them.
//!
//! No value is parsed into a Rust type: introspection reads text.

use snowflake_connector_rs::decode::{PlanBuildResult, RowDecodeResult};
use snowflake_connector_rs::{FromRow, ResultTable, RowPlanContext, RowRef};

use crate::session::{Column, ColumnType, Rows};

/// One row as raw text cells.
struct RawRow(Vec<Option<String>>);

impl FromRow for RawRow {
    /// Whether each column is boolean, in column order.
    type Plan = Vec<bool>;

    fn build_plan(ctx: RowPlanContext<'_>) -> PlanBuildResult<Self::Plan> {
        Ok(ctx
            .schema()
            .columns()
            .iter()
            .map(|c| matches!(c.ty(), snowflake_connector_rs::ColumnType::Boolean))
            .collect())
    }

    fn from_row_with_plan(row: RowRef<'_>, plan: &Self::Plan) -> RowDecodeResult<Self> {
        let mut cells = Vec::with_capacity(plan.len());
        for (index, is_boolean) in plan.iter().enumerate() {
            let raw = row.cell_at(index)?.raw();
            cells.push(raw.map(|value| match (is_boolean, value) {
                (true, "1") => "true".to_string(),
                (true, "0") => "false".to_string(),
                (true, other) => other.to_ascii_lowercase(),
                (false, other) => other.to_string(),
            }));
        }
        Ok(RawRow(cells))
    }
}

/// Converts a collected result table.
pub fn to_rows(table: &ResultTable) -> Result<Rows, snowflake_connector_rs::Error> {
    let columns = table
        .schema()
        .columns()
        .iter()
        .map(|c| Column::new(c.name(), column_type(c.ty())))
        .collect();
    let rows = table
        .rows::<RawRow>()?
        .map(|row| row.map(|RawRow(cells)| cells))
        .collect::<Result<_, _>>()?;
    Ok(Rows {
        columns,
        rows,
        query_id: None,
    })
}

/// The closest session column type; what has no counterpart stays text.
fn column_type(ty: &snowflake_connector_rs::ColumnType) -> ColumnType {
    use snowflake_connector_rs::ColumnType as Driver;
    match ty {
        Driver::Fixed { .. } => ColumnType::Fixed,
        Driver::Boolean => ColumnType::Boolean,
        Driver::TimestampLtz { .. } | Driver::TimestampNtz { .. } | Driver::TimestampTz { .. } => {
            ColumnType::TimestampLtz
        }
        Driver::Variant | Driver::Object | Driver::Array => ColumnType::Variant,
        _ => ColumnType::Text,
    }
}
