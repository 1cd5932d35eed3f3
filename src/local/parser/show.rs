//! SHOW and USE statements.

use super::Parser;
use crate::local::ast::{ObjectType, Scope, Show, ShowKind, Statement};
use crate::local::error::{self, SqlError};
use crate::local::lexer::TokenKind;

impl Parser<'_> {
    pub(super) fn show(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("SHOW")?;
        let terse = self.eat_word("TERSE");
        let kind = self.show_kind()?;
        let mut show = Show {
            kind,
            terse,
            like: None,
            scope: Scope::Default,
            starts_with: None,
            limit: None,
            from: None,
            root_only: false,
        };
        if self.eat_word("LIKE") {
            show.like = Some(self.string()?);
        }
        // `SHOW WAREHOUSES [ LIKE '<pattern>' ]`: no IN, STARTS WITH or
        // LIMIT ... FROM; whatever follows is a syntax error.
        if kind == ShowKind::Warehouses {
            return Ok(Statement::Show(show));
        }
        if self.eat_word("IN") {
            show.scope = self.scope()?;
        }
        if self.eat_words(&["STARTS", "WITH"]) {
            show.starts_with = Some(self.string()?);
        }
        if kind == ShowKind::Tasks && self.eat_words(&["ROOT", "ONLY"]) {
            show.root_only = true;
        }
        if self.eat_word("LIMIT") {
            show.limit = Some(self.unsigned()?);
            if self.eat_word("FROM") {
                show.from = Some(self.string()?);
            }
        }
        if kind == ShowKind::Versions && !matches!(show.scope, Scope::Model(_)) {
            return Err(self.unexpected());
        }
        if kind == ShowKind::Functions && !matches!(show.scope, Scope::ModelVersion(..)) {
            return Err(error::unsupported(
                "SHOW FUNCTIONS outside IN MODEL ... VERSION",
            ));
        }
        if kind != ShowKind::Functions && matches!(show.scope, Scope::ModelVersion(..)) {
            return Err(self.unexpected());
        }
        if kind == ShowKind::Parameters
            && !matches!(show.scope, Scope::Task(_) | Scope::Warehouse(_))
        {
            return Err(error::unsupported(
                "SHOW PARAMETERS outside IN TASK / IN WAREHOUSE",
            ));
        }
        Ok(Statement::Show(show))
    }

    fn show_kind(&mut self) -> Result<ShowKind, SqlError> {
        if self.eat_words(&["DYNAMIC", "TABLES"]) {
            return Ok(ShowKind::DynamicTables);
        }
        if self.eat_words(&["ONLINE", "FEATURE", "TABLES"]) {
            return Ok(ShowKind::OnlineFeatureTables);
        }
        let kinds = [
            ("DATABASES", ShowKind::Databases),
            ("SCHEMAS", ShowKind::Schemas),
            ("WAREHOUSES", ShowKind::Warehouses),
            ("TAGS", ShowKind::Tags),
            ("TABLES", ShowKind::Tables),
            ("VIEWS", ShowKind::Views),
            ("TASKS", ShowKind::Tasks),
            ("MODELS", ShowKind::Models),
            ("VERSIONS", ShowKind::Versions),
            ("PARAMETERS", ShowKind::Parameters),
            ("FUNCTIONS", ShowKind::Functions),
        ];
        for (word, kind) in kinds {
            if self.eat_word(word) {
                return Ok(kind);
            }
        }
        match self.peek() {
            Some(t) if t.kind == TokenKind::Word => Err(error::unsupported(&format!(
                "SHOW {}",
                t.value.to_ascii_uppercase()
            ))),
            _ => Err(self.unexpected()),
        }
    }

    fn scope(&mut self) -> Result<Scope, SqlError> {
        if self.eat_word("ACCOUNT") {
            return Ok(Scope::Account);
        }
        if self.eat_word("MODEL") {
            let model = self.name()?;
            if self.eat_word("VERSION") {
                return Ok(Scope::ModelVersion(model, self.ident()?));
            }
            return Ok(Scope::Model(model));
        }
        if self.eat_word("TASK") {
            return Ok(Scope::Task(self.name()?));
        }
        if self.eat_word("WAREHOUSE") {
            return Ok(Scope::Warehouse(self.name()?));
        }
        if self.eat_word("DATABASE") {
            return Ok(Scope::Database(self.optional_name()?));
        }
        if self.eat_word("SCHEMA") {
            return Ok(Scope::Schema(self.optional_name()?));
        }
        let name = self.name()?;
        if name.parts.len() > 2 {
            return Err(self.unexpected());
        }
        Ok(Scope::Schema(Some(name)))
    }

    fn optional_name(&mut self) -> Result<Option<crate::local::ast::Name>, SqlError> {
        let clause_follows = ["STARTS", "LIMIT", "ROOT"]
            .iter()
            .any(|w| self.peek_word(w));
        if self.at_end() || clause_follows {
            Ok(None)
        } else {
            self.name().map(Some)
        }
    }

    pub(super) fn use_(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("USE")?;
        let kind = if self.eat_word("DATABASE") {
            ObjectType::Database
        } else if self.eat_word("SCHEMA") {
            ObjectType::Schema
        } else if self.eat_word("WAREHOUSE") {
            ObjectType::Warehouse
        } else if self.peek_word("ROLE") || self.peek_words(&["SECONDARY", "ROLES"]) {
            return Err(error::unsupported("USE ROLE"));
        } else {
            ObjectType::Database
        };
        let name = self.name()?;
        let kind = if kind == ObjectType::Database && name.parts.len() == 2 {
            ObjectType::Schema
        } else {
            kind
        };
        let too_long = match kind {
            ObjectType::Schema => name.parts.len() > 2,
            _ => name.parts.len() > 1,
        };
        if too_long {
            return Err(self.unexpected());
        }
        Ok(Statement::Use { kind, name })
    }
}
