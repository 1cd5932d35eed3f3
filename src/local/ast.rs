//! The statements the local account understands, as parsed values.
//!
//! The parser builds these; the executor consumes them. Names are kept as
//! written (one to three resolved parts) and resolved against the session's
//! current database and schema only by the executor. Property values keep
//! their written form so that the executor can validate them and quote them
//! back in errors. Nothing here touches the catalog.

use crate::ident::Ident;

/// A possibly qualified object name: `X`, `S.X` or `DB.S.X`, each part resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// One to three resolved parts, outermost first.
    pub parts: Vec<Ident>,
}

impl Name {
    /// The last part: the object's own name.
    pub fn last(&self) -> &Ident {
        self.parts
            .last()
            .expect("the parser never builds a name without parts")
    }

    /// The name as written back in SQL (`DB.S."myView"`).
    pub fn to_sql(&self) -> String {
        self.parts
            .iter()
            .map(Ident::to_sql)
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A property value as written after `KEY =`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A `'...'` or `$$...$$` string.
    Str(String),
    /// A numeric literal (with its sign).
    Number(String),
    /// A bare or quoted identifier or keyword, possibly qualified (`XSMALL`, `ML.WH`).
    Name(Name),
    /// `NULL`.
    Null,
}

impl Value {
    /// The value as it was written, for error messages.
    pub fn written(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Number(n) => n.clone(),
            Value::Name(n) => n.to_sql(),
            Value::Null => "NULL".to_string(),
        }
    }
}

/// `KEY = value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prop {
    /// The property name, upper-cased.
    pub key: String,
    /// Its value.
    pub value: Value,
}

/// `tag_name = 'value'` in a `TAG (...)` clause or `SET TAG`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagAssign {
    /// The tag, possibly qualified.
    pub tag: Name,
    /// The value.
    pub value: String,
}

/// A column in a CREATE TABLE / VIEW / DYNAMIC TABLE column list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column name, resolved.
    pub name: Ident,
    /// The data type as written, if any.
    pub data_type: Option<String>,
    /// `COMMENT '...'`.
    pub comment: Option<String>,
    /// `NOT NULL` was written.
    pub not_null: bool,
    /// `DEFAULT <expr>` as written.
    pub default: Option<String>,
}

/// A query body (of a view, dynamic table or CTAS) and the objects it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The query text, verbatim.
    pub text: String,
    /// Tables and views named in FROM / JOIN, CTE names excluded.
    pub reads: Vec<Name>,
}

/// The object types the local account stores (Snowflake's name for them,
/// as in GET_DDL's `object_type` argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectType {
    /// DATABASE.
    Database,
    /// SCHEMA.
    Schema,
    /// WAREHOUSE.
    Warehouse,
    /// TAG.
    Tag,
    /// TABLE.
    Table,
    /// VIEW.
    View,
    /// DYNAMIC TABLE.
    DynamicTable,
    /// TASK.
    Task,
    /// MODEL.
    Model,
}

impl ObjectType {
    /// The keyword(s) naming the kind in SQL and in Snowflake's messages.
    pub fn keyword(self) -> &'static str {
        match self {
            ObjectType::Database => "DATABASE",
            ObjectType::Schema => "SCHEMA",
            ObjectType::Warehouse => "WAREHOUSE",
            ObjectType::Tag => "TAG",
            ObjectType::Table => "TABLE",
            ObjectType::View => "VIEW",
            ObjectType::DynamicTable => "DYNAMIC TABLE",
            ObjectType::Task => "TASK",
            ObjectType::Model => "MODEL",
        }
    }
}

/// `OR REPLACE` / `IF NOT EXISTS` of a CREATE.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CreateMode {
    /// `OR REPLACE`.
    pub or_replace: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
}

/// Where a new model version comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    /// `FROM @stage/path`.
    Stage(String),
    /// `FROM MODEL m [VERSION v]`.
    Model {
        /// The source model.
        model: Name,
        /// The source version or alias; the source's default version when absent.
        version: Option<Ident>,
    },
}

/// What a CREATE statement creates, with its clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateBody {
    /// CREATE DATABASE / SCHEMA: comment and tags.
    Container {
        /// `COMMENT = '...'`.
        comment: Option<String>,
        /// `WITH TAG (...)`.
        tags: Vec<TagAssign>,
    },
    /// CREATE WAREHOUSE.
    Warehouse {
        /// Its properties.
        props: Vec<Prop>,
        /// `WITH TAG (...)`.
        tags: Vec<TagAssign>,
    },
    /// CREATE TAG.
    Tag {
        /// `ALLOWED_VALUES 'a', 'b'`.
        allowed_values: Option<Vec<String>>,
        /// `COMMENT = '...'`.
        comment: Option<String>,
    },
    /// CREATE TABLE.
    Table {
        /// Column definitions.
        columns: Vec<ColumnSpec>,
        /// `COMMENT = ...` and other properties.
        props: Vec<Prop>,
        /// `CLUSTER BY (...)` expressions.
        cluster_by: Vec<String>,
        /// `WITH TAG (...)`.
        tags: Vec<TagAssign>,
        /// `AS <query>` of a CTAS.
        query: Option<Query>,
    },
    /// CREATE VIEW.
    View {
        /// `SECURE` was written.
        secure: bool,
        /// The column list.
        columns: Vec<ColumnSpec>,
        /// `COMMENT = '...'`.
        comment: Option<String>,
        /// `TAG (...)`.
        tags: Vec<TagAssign>,
        /// The query.
        query: Query,
    },
    /// CREATE DYNAMIC TABLE.
    DynamicTable {
        /// The column list.
        columns: Vec<ColumnSpec>,
        /// TARGET_LAG, WAREHOUSE, REFRESH_MODE, ... and COMMENT.
        props: Vec<Prop>,
        /// `CLUSTER BY (...)` expressions.
        cluster_by: Vec<String>,
        /// `TAG (...)`.
        tags: Vec<TagAssign>,
        /// The query.
        query: Query,
    },
    /// CREATE TASK.
    Task {
        /// WAREHOUSE, SCHEDULE, CONFIG, ... and COMMENT.
        props: Vec<Prop>,
        /// `WITH TAG (...)`.
        tags: Vec<TagAssign>,
        /// `AFTER a, b`.
        after: Vec<Name>,
        /// `WHEN <expr>`, verbatim.
        condition: Option<String>,
        /// `AS <sql>`, verbatim.
        definition: String,
    },
    /// CREATE MODEL ... WITH VERSION v FROM ...
    Model {
        /// The first version's name.
        version: Ident,
        /// Where it comes from.
        source: VersionSource,
    },
}

/// A CREATE statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Create {
    /// The kind created.
    pub kind: ObjectType,
    /// `OR REPLACE` / `IF NOT EXISTS`.
    pub mode: CreateMode,
    /// The new object's name.
    pub name: Name,
    /// The kind-specific clauses.
    pub body: CreateBody,
    /// The statement text, verbatim (the `text` column of views and dynamic tables).
    pub text: String,
}

/// How ALTER TAG changes allowed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedValuesOp {
    /// `ADD ALLOWED_VALUES`.
    Add,
    /// `DROP ALLOWED_VALUES`.
    Drop,
}

/// What an ALTER statement does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterAction {
    /// `SET k = v ...`.
    Set(Vec<Prop>),
    /// `UNSET k, ...`.
    Unset(Vec<String>),
    /// `SET TAG t = 'v', ...`.
    SetTags(Vec<TagAssign>),
    /// `UNSET TAG t, ...`.
    UnsetTags(Vec<Name>),
    /// `SUSPEND`.
    Suspend,
    /// `RESUME [IF SUSPENDED]`.
    Resume,
    /// `REFRESH` (dynamic tables).
    Refresh,
    /// `ABORT ALL QUERIES` (warehouses).
    AbortAllQueries,
    /// `RENAME TO name`.
    RenameTo(Name),
    /// `CLUSTER BY (...)`.
    ClusterBy(Vec<String>),
    /// `DROP CLUSTERING KEY`.
    DropClusteringKey,
    /// `ADD AFTER a, b` (tasks).
    AddAfter(Vec<Name>),
    /// `REMOVE AFTER a, b` (tasks).
    RemoveAfter(Vec<Name>),
    /// `MODIFY AS <sql>` (tasks).
    ModifyAs(String),
    /// `MODIFY WHEN <expr>` (tasks).
    ModifyWhen(String),
    /// `REMOVE WHEN` (tasks).
    RemoveWhen,
    /// `ADD | DROP ALLOWED_VALUES ...` (tags).
    AllowedValues(AllowedValuesOp, Vec<String>),
    /// `ADD VERSION v FROM ...` (models).
    AddVersion(Ident, VersionSource),
    /// `DROP VERSION v` (models).
    DropVersion(Ident),
    /// `VERSION v SET ALIAS = a` (models).
    SetAlias(Ident, Ident),
    /// `VERSION v UNSET ALIAS` (models; `v` may be the alias).
    UnsetAlias(Ident),
    /// `MODIFY VERSION v SET ...` (models).
    ModifyVersionSet(Ident, Vec<Prop>),
    /// `MODIFY VERSION v UNSET ...` (models).
    ModifyVersionUnset(Ident, Vec<String>),
}

/// An ALTER statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alter {
    /// The kind altered.
    pub kind: ObjectType,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The object.
    pub name: Name,
    /// What to do.
    pub action: AlterAction,
}

/// The kinds SHOW lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowKind {
    /// SHOW DATABASES.
    Databases,
    /// SHOW SCHEMAS.
    Schemas,
    /// SHOW WAREHOUSES.
    Warehouses,
    /// SHOW TAGS.
    Tags,
    /// SHOW TABLES.
    Tables,
    /// SHOW VIEWS.
    Views,
    /// SHOW DYNAMIC TABLES.
    DynamicTables,
    /// SHOW TASKS.
    Tasks,
    /// SHOW MODELS.
    Models,
    /// SHOW VERSIONS IN MODEL.
    Versions,
    /// SHOW PARAMETERS IN TASK / WAREHOUSE.
    Parameters,
    /// SHOW ONLINE FEATURE TABLES.
    OnlineFeatureTables,
    /// SHOW FUNCTIONS IN MODEL m VERSION v.
    Functions,
}

/// The `IN ...` clause of SHOW.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// No IN clause.
    Default,
    /// `IN ACCOUNT`.
    Account,
    /// `IN DATABASE [d]`.
    Database(Option<Name>),
    /// `IN [SCHEMA] [d.]s` or `IN SCHEMA`.
    Schema(Option<Name>),
    /// `IN MODEL m`.
    Model(Name),
    /// `IN MODEL m VERSION v` (SHOW FUNCTIONS).
    ModelVersion(Name, Ident),
    /// `IN TASK t` (SHOW PARAMETERS).
    Task(Name),
    /// `IN WAREHOUSE w` (SHOW PARAMETERS).
    Warehouse(Name),
}

/// A SHOW statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Show {
    /// What is listed.
    pub kind: ShowKind,
    /// `TERSE`.
    pub terse: bool,
    /// `LIKE '<pattern>'`.
    pub like: Option<String>,
    /// `IN ...`.
    pub scope: Scope,
    /// `STARTS WITH '<prefix>'`.
    pub starts_with: Option<String>,
    /// `LIMIT n`.
    pub limit: Option<u64>,
    /// `LIMIT n FROM '<name>'`.
    pub from: Option<String>,
    /// `ROOT ONLY` (tasks).
    pub root_only: bool,
}

/// A projection of TAG_REFERENCES: the selected columns and simple filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagReferencesQuery {
    /// The database of `<db>.INFORMATION_SCHEMA`, if written.
    pub database: Option<Ident>,
    /// The object name argument.
    pub object: String,
    /// The domain argument.
    pub domain: String,
    /// Selected column names, upper-cased; empty for `*`.
    pub columns: Vec<String>,
    /// `WHERE col = 'value' AND ...` filters, column upper-cased.
    pub filters: Vec<(String, String)>,
}

/// A projection of `<db>.INFORMATION_SCHEMA.MODEL_VERSIONS`: the selected
/// columns, simple filters and the sort order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelVersionsQuery {
    /// The database of `<db>.INFORMATION_SCHEMA`, if written.
    pub database: Option<Ident>,
    /// Selected column names, upper-cased; empty for `*`.
    pub columns: Vec<String>,
    /// `WHERE col = 'value' AND ...` filters, column upper-cased.
    pub filters: Vec<(String, String)>,
    /// `ORDER BY col [ASC|DESC], ...`: column upper-cased, true when descending.
    pub order_by: Vec<(String, bool)>,
}

/// One item of a FROM-less SELECT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectValue {
    /// A number or string literal, as its text.
    Literal(String),
    /// `CURRENT_DATABASE()`, `CURRENT_SCHEMA()`, ... by upper-cased function name.
    Context(String),
}

/// A FROM-less SELECT item and its result column name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectItem {
    /// The result column's name.
    pub column: String,
    /// The value.
    pub value: SelectValue,
}

/// One statement of the supported subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// CREATE ...
    Create(Create),
    /// ALTER ...
    Alter(Alter),
    /// DROP kind [IF EXISTS] name.
    Drop {
        /// The kind dropped.
        kind: ObjectType,
        /// `IF EXISTS`.
        if_exists: bool,
        /// The object.
        name: Name,
    },
    /// USE DATABASE / SCHEMA / WAREHOUSE.
    Use {
        /// DATABASE, SCHEMA or WAREHOUSE.
        kind: ObjectType,
        /// The name.
        name: Name,
    },
    /// COMMENT [IF EXISTS] ON kind name IS '...'.
    CommentOn {
        /// The kind.
        kind: ObjectType,
        /// `IF EXISTS`.
        if_exists: bool,
        /// The object.
        name: Name,
        /// The new comment.
        comment: String,
    },
    /// SHOW ...
    Show(Show),
    /// `SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('task')`.
    TaskDependentsEnable {
        /// The result column's name.
        column: String,
        /// The task name argument.
        task: String,
    },
    /// `SELECT SYSTEM$GET_TAG('tag', 'object', 'domain')`.
    GetTag {
        /// The result column's name.
        column: String,
        /// The tag name argument.
        tag: String,
        /// The object name argument.
        object: String,
        /// The domain argument.
        domain: String,
    },
    /// `SELECT ... FROM TABLE(<db>.INFORMATION_SCHEMA.TAG_REFERENCES(...))`.
    TagReferences(TagReferencesQuery),
    /// `SELECT ... FROM <db>.INFORMATION_SCHEMA.MODEL_VERSIONS ...`.
    ModelVersions(ModelVersionsQuery),
    /// `SELECT 1, CURRENT_DATABASE() AS DB, ...`: literals and context functions.
    SelectValues(Vec<SelectItem>),
    /// `ALTER SESSION SET ...` / `ALTER SESSION UNSET ...`.
    AlterSession(AlterSession),
    /// Any other query (`SELECT ...`, `WITH ... SELECT ...`), evaluated by
    /// [`crate::local::select`] from its text.
    Select {
        /// The statement text.
        text: String,
    },
    /// `DESC[RIBE] TABLE | VIEW | DYNAMIC TABLE name`.
    Describe {
        /// TABLE, VIEW or DYNAMIC TABLE.
        kind: ObjectType,
        /// The object.
        name: Name,
    },
    /// `INSERT [OVERWRITE] INTO t [(cols)] VALUES (...), ... | <query>`.
    Insert {
        /// The table.
        table: Name,
        /// The statement text, evaluated by [`crate::local::select`].
        text: String,
    },
    /// `UPDATE t [alias] SET c = v, ... [WHERE ...]`.
    Update {
        /// The table.
        table: Name,
        /// The statement text, evaluated by [`crate::local::select`].
        text: String,
    },
    /// `DELETE FROM t [alias] [WHERE ...]`.
    Delete {
        /// The table.
        table: Name,
        /// The statement text, evaluated by [`crate::local::select`].
        text: String,
    },
    /// `MERGE INTO t [alias] USING <source> ON ... WHEN [NOT] MATCHED ...`.
    Merge {
        /// The target table.
        table: Name,
        /// The statement text, evaluated by [`crate::local::select`].
        text: String,
    },
    /// `BEGIN`, `START TRANSACTION`, `COMMIT`, `ROLLBACK`.
    Transaction(TransactionControl),
}

/// A statement that opens or ends a session's explicit transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionControl {
    /// `BEGIN [WORK | TRANSACTION] [NAME n]` or `START TRANSACTION [NAME n]`.
    Begin,
    /// `COMMIT [WORK]`.
    Commit,
    /// `ROLLBACK [WORK]`.
    Rollback,
}

impl Statement {
    /// True when the statement only reads the catalog.
    pub fn is_read_only(&self) -> bool {
        matches!(
            self,
            Statement::Show(_)
                | Statement::GetTag { .. }
                | Statement::TagReferences(_)
                | Statement::ModelVersions(_)
                | Statement::Use { .. }
                | Statement::SelectValues(_)
                | Statement::AlterSession(_)
                | Statement::Select { .. }
                | Statement::Describe { .. }
        )
    }

    /// True for INSERT, UPDATE, DELETE and MERGE: the statements an
    /// explicit transaction holds back until COMMIT.
    pub fn is_dml(&self) -> bool {
        matches!(
            self,
            Statement::Insert { .. }
                | Statement::Update { .. }
                | Statement::Delete { .. }
                | Statement::Merge { .. }
        )
    }
}

/// What an `ALTER SESSION` changes: session parameters only, never the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterSession {
    /// `SET name = value ...`: upper-case names, values as text (booleans
    /// `true`/`false`, strings unquoted, numbers as written).
    Set(Vec<(String, String)>),
    /// `UNSET name, ...`: back to the defaults.
    Unset(Vec<String>),
}
