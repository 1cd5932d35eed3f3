//! ALTER, DROP and COMMENT ON statements.

use super::Parser;
use super::create::{DYNAMIC_TABLE_PROPS, WAREHOUSE_PROPS};
use crate::local::ast::{AllowedValuesOp, Alter, AlterAction, Kind, Prop, Statement, Value};
use crate::local::error::{self, SqlError};
use crate::local::lexer::TokenKind;

impl Parser<'_> {
    pub(super) fn alter(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("ALTER")?;
        if self.eat_word("SESSION") {
            return self.alter_session();
        }
        let kind = self.kind_or_unsupported("ALTER")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        let name = self.name()?;
        let action = match kind {
            Kind::Model => self.model_action()?,
            _ => self.alter_action(kind)?,
        };
        Ok(Statement::Alter(Alter {
            kind,
            if_exists,
            name,
            action,
        }))
    }

    /// `SESSION SET k = v [, ...]` or `SESSION UNSET k [, ...]` after ALTER.
    fn alter_session(&mut self) -> Result<Statement, SqlError> {
        let mut set = Vec::new();
        let mut unset = Vec::new();
        if self.eat_word("SET") {
            loop {
                let prop = self.prop(&[])?;
                let value = match prop.value {
                    Value::Str(s) | Value::Number(s) => s,
                    Value::Name(n) => n.to_sql(),
                    Value::Null => "NULL".to_string(),
                };
                set.push((prop.key, value));
                if !self.eat_symbol(",") {
                    break;
                }
            }
        } else {
            self.expect_word("UNSET")?;
            loop {
                let token = self.peek().ok_or_else(|| self.unexpected())?;
                if token.kind != TokenKind::Word {
                    return Err(self.unexpected());
                }
                unset.push(token.value.to_ascii_uppercase());
                self.advance();
                if !self.eat_symbol(",") {
                    break;
                }
            }
        }
        Ok(Statement::AlterSession { set, unset })
    }

    pub(super) fn drop(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("DROP")?;
        let kind = self.kind_or_unsupported("DROP")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        let name = self.name()?;
        if !self.eat_word("CASCADE") {
            self.eat_word("RESTRICT");
        }
        Ok(Statement::Drop {
            kind,
            if_exists,
            name,
        })
    }

    pub(super) fn comment_on(&mut self) -> Result<Statement, SqlError> {
        self.expect_word("COMMENT")?;
        let if_exists = self.eat_words(&["IF", "EXISTS"]);
        self.expect_word("ON")?;
        let kind = self.kind_or_unsupported("COMMENT ON")?;
        let name = self.name()?;
        self.expect_word("IS")?;
        let comment = self.string()?;
        Ok(Statement::CommentOn {
            kind,
            if_exists,
            name,
            comment,
        })
    }

    fn kind_or_unsupported(&mut self, verb: &str) -> Result<Kind, SqlError> {
        match self.object_kind()? {
            Some(kind) => Ok(kind),
            None => match self.peek() {
                Some(t) if t.kind == TokenKind::Word => Err(error::unsupported(&format!(
                    "{verb} {}",
                    t.value.to_ascii_uppercase()
                ))),
                _ => Err(self.unexpected()),
            },
        }
    }

    fn alter_action(&mut self, kind: Kind) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["SET", "TAG"]) {
            let mut tags = vec![self.tag_assign()?];
            while self.eat_symbol(",") {
                tags.push(self.tag_assign()?);
            }
            return Ok(AlterAction::SetTags(tags));
        }
        if self.eat_words(&["UNSET", "TAG"]) {
            return Ok(AlterAction::UnsetTags(self.name_list()?));
        }
        if self.eat_word("SET") {
            return self.set_props(kind).map(AlterAction::Set);
        }
        if self.eat_word("UNSET") {
            return self.unset_list().map(AlterAction::Unset);
        }
        if self.eat_words(&["RENAME", "TO"]) {
            return Ok(AlterAction::RenameTo(self.name()?));
        }
        self.kind_action(kind)
    }

    fn kind_action(&mut self, kind: Kind) -> Result<AlterAction, SqlError> {
        let action = match kind {
            Kind::Warehouse | Kind::Task | Kind::DynamicTable if self.eat_word("SUSPEND") => {
                AlterAction::Suspend
            }
            Kind::Warehouse | Kind::Task | Kind::DynamicTable if self.eat_word("RESUME") => {
                if kind == Kind::Warehouse {
                    self.eat_words(&["IF", "SUSPENDED"]);
                }
                AlterAction::Resume
            }
            Kind::Warehouse if self.eat_words(&["ABORT", "ALL", "QUERIES"]) => {
                AlterAction::AbortAllQueries
            }
            Kind::DynamicTable if self.eat_word("REFRESH") => AlterAction::Refresh,
            Kind::DynamicTable | Kind::Table if self.eat_words(&["CLUSTER", "BY"]) => {
                AlterAction::ClusterBy(self.cluster_by()?)
            }
            Kind::DynamicTable | Kind::Table if self.eat_words(&["DROP", "CLUSTERING", "KEY"]) => {
                AlterAction::DropClusteringKey
            }
            Kind::Task => self.task_action()?,
            Kind::Tag => self.tag_action()?,
            _ => return Err(self.unexpected()),
        };
        Ok(action)
    }

    fn task_action(&mut self) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["ADD", "AFTER"]) {
            Ok(AlterAction::AddAfter(self.name_list()?))
        } else if self.eat_words(&["REMOVE", "AFTER"]) {
            Ok(AlterAction::RemoveAfter(self.name_list()?))
        } else if self.eat_words(&["MODIFY", "AS"]) {
            Ok(AlterAction::ModifyAs(self.rest_text()?))
        } else if self.eat_words(&["MODIFY", "WHEN"]) {
            Ok(AlterAction::ModifyWhen(self.rest_text()?))
        } else if self.eat_words(&["REMOVE", "WHEN"]) {
            Ok(AlterAction::RemoveWhen)
        } else {
            Err(self.unexpected())
        }
    }

    fn tag_action(&mut self) -> Result<AlterAction, SqlError> {
        let op = if self.eat_words(&["ADD", "ALLOWED_VALUES"]) {
            AllowedValuesOp::Add
        } else if self.eat_words(&["DROP", "ALLOWED_VALUES"]) {
            AllowedValuesOp::Drop
        } else {
            return Err(self.unexpected());
        };
        let mut values = vec![self.string()?];
        while self.eat_symbol(",") {
            values.push(self.string()?);
        }
        Ok(AlterAction::AllowedValues(op, values))
    }

    fn model_action(&mut self) -> Result<AlterAction, SqlError> {
        if self.eat_words(&["ADD", "VERSION"]) {
            let version = self.ident()?;
            let source = self.version_source()?;
            return Ok(AlterAction::AddVersion(version, source));
        }
        if self.eat_words(&["DROP", "VERSION"]) {
            return Ok(AlterAction::DropVersion(self.ident()?));
        }
        if self.eat_words(&["MODIFY", "VERSION"]) {
            let version = self.ident()?;
            if self.eat_word("SET") {
                let props = self.set_props(Kind::Model)?;
                return Ok(AlterAction::ModifyVersionSet(version, props));
            }
            self.expect_word("UNSET")?;
            return Ok(AlterAction::ModifyVersionUnset(version, self.unset_list()?));
        }
        if self.eat_word("VERSION") {
            let version = self.ident()?;
            if self.eat_words(&["SET", "ALIAS"]) {
                self.expect_symbol("=")?;
                return Ok(AlterAction::SetAlias(version, self.ident()?));
            }
            self.expect_word("UNSET")?;
            self.expect_word("ALIAS")?;
            return Ok(AlterAction::UnsetAlias(version));
        }
        self.alter_action(Kind::Model)
    }

    /// One or more `KEY = value`, optionally comma-separated.
    fn set_props(&mut self, kind: Kind) -> Result<Vec<Prop>, SqlError> {
        let known: &[&str] = match kind {
            Kind::Warehouse => WAREHOUSE_PROPS,
            Kind::DynamicTable => DYNAMIC_TABLE_PROPS,
            Kind::Model => &["COMMENT", "DEFAULT_VERSION", "METADATA"],
            Kind::Tag => &["COMMENT"],
            _ => &[],
        };
        if kind == Kind::View && self.eat_word("SECURE") {
            return Ok(vec![Prop {
                key: "SECURE".into(),
                value: Value::Str("true".into()),
            }]);
        }
        let mut props = vec![self.prop(known)?];
        while !self.at_end() {
            self.eat_symbol(",");
            props.push(self.prop(known)?);
        }
        Ok(props)
    }

    /// `KEY [, KEY ...]` after UNSET.
    fn unset_list(&mut self) -> Result<Vec<String>, SqlError> {
        let mut keys = Vec::new();
        loop {
            match self.peek() {
                Some(t) if t.kind == TokenKind::Word => {
                    keys.push(t.value.to_ascii_uppercase());
                    self.advance();
                }
                _ => return Err(self.unexpected()),
            }
            if !self.eat_symbol(",") {
                break;
            }
        }
        Ok(keys)
    }
}
