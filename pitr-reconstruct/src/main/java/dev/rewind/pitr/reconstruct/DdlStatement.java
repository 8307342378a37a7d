package dev.rewind.pitr.reconstruct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a DDL statement of the binlog (a QUERY event outside a transaction) does to tables' rows, as far as
 * reconstruction needs it: which tables it empties (TRUNCATE, DROP TABLE, DROP DATABASE), renames (RENAME TABLE, ALTER
 * TABLE … RENAME), and for ALTER TABLE which columns it renames, drops or adds (the types and defaults come from the
 * schema snapshot taken after it). Anything else is {@link Kind#OTHER}.
 *
 * @param tables        the tables it acts on ({@code RENAME TABLE}: the old names)
 * @param renamedTo     for renames: the new name of each of {@code tables}, in order
 * @param columnRenames ALTER TABLE: new column name (lower case) to its old name
 * @param dropped       ALTER TABLE: columns dropped (lower case)
 * @param added         ALTER TABLE: columns added (lower case); a column both dropped and added starts from its default
 * @param database      DROP DATABASE: the database
 */
public record DdlStatement(Kind kind, List<Name> tables, List<Name> renamedTo, Map<String, String> columnRenames,
        Set<String> dropped, Set<String> added, String database) {

    public enum Kind { CREATE_TABLE, ALTER_TABLE, RENAME_TABLE, TRUNCATE_TABLE, DROP_TABLE, DROP_DATABASE, OTHER }

    /** A table name, its database resolved against the statement's default database. */
    public record Name(String schema, String table) {
        @Override
        public String toString() {
            return schema + "." + table;
        }

        public boolean is(String otherSchema, String otherTable) {
            return schema != null && schema.equalsIgnoreCase(otherSchema) && table.equalsIgnoreCase(otherTable);
        }
    }

    private static final DdlStatement OTHER_STATEMENT = new DdlStatement(Kind.OTHER, List.of(), List.of(), Map.of(), Set.of(),
            Set.of(), null);

    /** Parses one statement; never throws (what it cannot read is {@link Kind#OTHER}). */
    public static DdlStatement parse(String sql, String defaultDatabase) {
        try {
            return new Parser(tokens(sql), defaultDatabase).statement();
        } catch (RuntimeException e) {
            return OTHER_STATEMENT;
        }
    }

    /** Whether this statement acts on the table (as one of its tables, or its whole database). */
    public boolean touches(String schema, String table) {
        if (kind == Kind.DROP_DATABASE) {
            return database != null && database.equalsIgnoreCase(schema);
        }
        for (Name n : tables) {
            if (n.is(schema, table)) {
                return true;
            }
        }
        for (Name n : renamedTo) {
            if (n.is(schema, table)) {
                return true;
            }
        }
        return false;
    }

    // --- lexing: identifiers (bare or `quoted`), strings, numbers and single punctuation; comments dropped

    private record Token(String text, boolean quoted) {
        boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (i + 2 < n && sql.charAt(i + 2) == '!') { // a versioned comment: its text is part of the statement
                    int j = i + 3;
                    while (j < n && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                    String inner = sql.substring(j, end < 0 ? n : end);
                    out.addAll(tokens(inner));
                }
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-' && Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '`' || c == '"' || c == '\'') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == c && j + 1 < n && sql.charAt(j + 1) == c) {
                        b.append(c);
                        j += 2;
                    } else if (d == c) {
                        break;
                    } else if (d == '\\' && c != '`' && j + 1 < n) {
                        b.append(sql.charAt(j + 1));
                        j += 2;
                    } else {
                        b.append(d);
                        j++;
                    }
                }
                out.add(new Token(c == '\'' ? "'" + b : b.toString(), true));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$'
                        || sql.charAt(j) > 127)) {
                    j++;
                }
                out.add(new Token(sql.substring(i, j), false));
                i = j;
            } else {
                out.add(new Token(String.valueOf(c), false));
                i++;
            }
        }
        return out;
    }

    private static final class Parser {
        private final List<Token> t;
        private final String defaultDatabase;
        private int p;

        Parser(List<Token> tokens, String defaultDatabase) {
            this.t = tokens;
            this.defaultDatabase = defaultDatabase == null || defaultDatabase.isEmpty() ? null : defaultDatabase;
        }

        private boolean at(String word) {
            return p < t.size() && t.get(p).is(word);
        }

        private boolean accept(String... words) {
            int save = p;
            for (String w : words) {
                if (!at(w)) {
                    p = save;
                    return false;
                }
                p++;
            }
            return true;
        }

        private String identifier() {
            if (p >= t.size()) {
                throw new IllegalArgumentException("identifier expected");
            }
            return t.get(p++).text();
        }

        private Name name() {
            String first = identifier();
            if (accept(".")) {
                return new Name(first, identifier());
            }
            return new Name(defaultDatabase, first);
        }

        DdlStatement statement() {
            if (accept("TRUNCATE")) {
                accept("TABLE");
                return of(Kind.TRUNCATE_TABLE, List.of(name()), List.of());
            }
            if (accept("DROP")) {
                accept("TEMPORARY");
                if (accept("TABLE") || accept("TABLES")) {
                    accept("IF", "EXISTS");
                    List<Name> names = new ArrayList<>();
                    do {
                        names.add(name());
                    } while (accept(","));
                    return of(Kind.DROP_TABLE, names, List.of());
                }
                if (accept("DATABASE") || accept("SCHEMA")) {
                    accept("IF", "EXISTS");
                    return new DdlStatement(Kind.DROP_DATABASE, List.of(), List.of(), Map.of(), Set.of(), Set.of(), identifier());
                }
                return OTHER_STATEMENT;
            }
            if (accept("RENAME")) {
                if (!accept("TABLE") && !accept("TABLES")) {
                    return OTHER_STATEMENT;
                }
                List<Name> from = new ArrayList<>();
                List<Name> to = new ArrayList<>();
                do {
                    from.add(name());
                    if (!accept("TO")) {
                        return OTHER_STATEMENT;
                    }
                    to.add(name());
                } while (accept(","));
                return of(Kind.RENAME_TABLE, from, to);
            }
            if (accept("CREATE")) {
                accept("OR", "REPLACE");
                accept("TEMPORARY");
                if (!accept("TABLE")) {
                    return OTHER_STATEMENT;
                }
                accept("IF", "NOT", "EXISTS");
                return of(Kind.CREATE_TABLE, List.of(name()), List.of());
            }
            if (accept("ALTER")) {
                accept("ONLINE");
                accept("IGNORE");
                if (!accept("TABLE")) {
                    return OTHER_STATEMENT;
                }
                accept("IF", "EXISTS");
                return alter(name());
            }
            return OTHER_STATEMENT;
        }

        private DdlStatement alter(Name table) {
            Map<String, String> renames = new HashMap<>();
            Set<String> dropped = new HashSet<>();
            Set<String> added = new HashSet<>();
            Name renamedTo = null;
            while (p < t.size()) {
                // one clause, up to the next comma at depth 0
                int start = p;
                if (accept("RENAME", "COLUMN")) {
                    String old = identifier();
                    accept("TO");
                    renames.put(identifier().toLowerCase(Locale.ROOT), old);
                } else if (accept("RENAME", "INDEX") || accept("RENAME", "KEY")) {
                    // no effect on rows
                } else if (accept("RENAME")) {
                    if (!accept("TO")) {
                        accept("AS");
                    }
                    renamedTo = name();
                } else if (accept("CHANGE")) {
                    accept("COLUMN");
                    accept("IF", "EXISTS");
                    String old = identifier();
                    String now = identifier();
                    if (!old.equalsIgnoreCase(now)) {
                        renames.put(now.toLowerCase(Locale.ROOT), old);
                    }
                } else if (accept("DROP")) {
                    if (!(at("INDEX") || at("KEY") || at("PRIMARY") || at("FOREIGN") || at("CONSTRAINT") || at("CHECK")
                            || at("PARTITION") || at("UNIQUE") || at("SYSTEM"))) {
                        accept("COLUMN");
                        accept("IF", "EXISTS");
                        dropped.add(identifier().toLowerCase(Locale.ROOT));
                    }
                } else if (accept("ADD")) {
                    if (!(at("INDEX") || at("KEY") || at("PRIMARY") || at("FOREIGN") || at("CONSTRAINT") || at("CHECK")
                            || at("PARTITION") || at("UNIQUE") || at("FULLTEXT") || at("SPATIAL") || at("PERIOD")
                            || at("SYSTEM"))) {
                        accept("COLUMN");
                        accept("IF", "NOT", "EXISTS");
                        if (accept("(")) { // ADD COLUMN (a int, b int)
                            int depth = 1;
                            boolean expectName = true;
                            while (p < t.size() && depth > 0) {
                                Token k = t.get(p++);
                                if (!k.quoted() && k.text().equals("(")) {
                                    depth++;
                                } else if (!k.quoted() && k.text().equals(")")) {
                                    depth--;
                                } else if (depth == 1 && !k.quoted() && k.text().equals(",")) {
                                    expectName = true;
                                } else if (expectName && depth == 1) {
                                    added.add(k.text().toLowerCase(Locale.ROOT));
                                    expectName = false;
                                }
                            }
                        } else {
                            added.add(identifier().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                skipClause(start);
            }
            List<Name> to = renamedTo == null ? List.of() : List.of(renamedTo);
            return new DdlStatement(Kind.ALTER_TABLE, List.of(table), to, Map.copyOf(renames), Set.copyOf(dropped),
                    Set.copyOf(added), null);
        }

        /** Moves past the current clause and its comma. */
        private void skipClause(int start) {
            int depth = 0;
            if (p == start) {
                p++;
            }
            while (p < t.size()) {
                Token k = t.get(p);
                if (!k.quoted()) {
                    if (k.text().equals("(")) {
                        depth++;
                    } else if (k.text().equals(")")) {
                        depth--;
                    } else if (k.text().equals(",") && depth <= 0) {
                        p++;
                        return;
                    }
                }
                p++;
            }
        }

        private static DdlStatement of(Kind kind, List<Name> tables, List<Name> renamedTo) {
            return new DdlStatement(kind, List.copyOf(tables), List.copyOf(renamedTo), Map.of(), Set.of(), Set.of(), null);
        }
    }
}
