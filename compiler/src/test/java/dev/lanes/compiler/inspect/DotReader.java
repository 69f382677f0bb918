package dev.lanes.compiler.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of the DOT subset {@link DotWriter} writes: one digraph of clusters holding
 * attribute assignments, node statements and edge statements. Anything else, an unterminated
 * string or an unbalanced brace is an error, so a test can stand in for Graphviz where it is
 * not installed.
 */
final class DotReader {
    /** A node or edge statement's attributes, quoted values unescaped. */
    record Edge(String from, String to, Map<String, String> attrs) {
    }

    /** One subgraph: its name, its own attributes, its nodes by id and its edges. */
    record Cluster(String name, Map<String, String> attrs, Map<String, Map<String, String>> nodes,
            List<Edge> edges) {
    }

    /** The digraph: its name and its clusters in order. */
    record Digraph(String name, List<Cluster> clusters) {
    }

    /** A token; a quoted string never counts as punctuation, whatever its text. */
    private record Token(String text, boolean quoted) {
        boolean is(String punctuation) {
            return !quoted && text.equals(punctuation);
        }
    }

    private static final java.util.Set<String> PUNCTUATION = java.util.Set.of("{", "}", "[",
            "]", "=", ";", ",", "->");

    private final List<Token> tokens;
    private int pos;

    private DotReader(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Digraph parse(String text) {
        DotReader r = new DotReader(tokenize(text));
        r.expect("digraph");
        String name = r.next();
        r.expect("{");
        List<Cluster> clusters = new ArrayList<>();
        while (!r.peek().is("}")) {
            if (r.peek().is("subgraph")) {
                clusters.add(r.cluster());
            } else {
                r.statement(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
            }
        }
        r.expect("}");
        if (r.pos != r.tokens.size()) {
            throw new IllegalArgumentException("text after the digraph: " + r.peek().text());
        }
        return new Digraph(name, clusters);
    }

    private Cluster cluster() {
        expect("subgraph");
        String name = next();
        expect("{");
        Map<String, String> attrs = new LinkedHashMap<>();
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        while (!peek().is("}")) {
            statement(attrs, nodes, edges);
        }
        expect("}");
        return new Cluster(name, attrs, nodes, edges);
    }

    private void statement(Map<String, String> attrs, Map<String, Map<String, String>> nodes,
            List<Edge> edges) {
        Token first = tokens.get(pos);
        String id = next();
        if (peek().is("=")) {
            expect("=");
            attrs.put(id, next());
        } else if (peek().is("->")) {
            expect("->");
            String to = next();
            edges.add(new Edge(id, to, attributes()));
        } else if (first.is("node") || first.is("edge")) {
            attributes();
        } else {
            if (nodes.containsKey(id)) {
                throw new IllegalArgumentException("node " + id + " defined twice");
            }
            nodes.put(id, attributes());
        }
        expect(";");
    }

    private Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        if (!peek().is("[")) {
            return a;
        }
        expect("[");
        while (!peek().is("]")) {
            String key = next();
            expect("=");
            a.put(key, next());
            if (peek().is(",")) {
                expect(",");
            }
        }
        expect("]");
        return a;
    }

    private Token peek() {
        if (pos >= tokens.size()) {
            throw new IllegalArgumentException("unexpected end of the text");
        }
        return tokens.get(pos);
    }

    /** The next id or string; punctuation here means the structure is broken. */
    private String next() {
        Token t = peek();
        pos++;
        if (!t.quoted() && PUNCTUATION.contains(t.text())) {
            throw new IllegalArgumentException("expected an id but got " + t.text()
                    + " at token " + (pos - 1));
        }
        return t.text();
    }

    private void expect(String t) {
        Token got = peek();
        pos++;
        if (!got.is(t)) {
            throw new IllegalArgumentException("expected " + t + " but got " + got.text()
                    + " at token " + (pos - 1));
        }
    }

    /** Punctuation, "->", bare ids, and quoted strings (returned unescaped, without quotes). */
    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ("{}[]=;,".indexOf(c) >= 0) {
                out.add(new Token(String.valueOf(c), false));
                i++;
            } else if (s.startsWith("->", i)) {
                out.add(new Token("->", false));
                i += 2;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("unterminated string");
                    }
                    char d = s.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\n') {
                        throw new IllegalArgumentException("line break inside a string");
                    }
                    if (d == '\\') {
                        char e = s.charAt(i + 1);
                        b.append(switch (e) {
                            case '"' -> "\"";
                            case '\\' -> "\\";
                            case 'n' -> "\n";
                            default -> throw new IllegalArgumentException("escape \\" + e
                                    + " the writer never makes");
                        });
                        i += 2;
                    } else {
                        b.append(d);
                        i++;
                    }
                }
                out.add(new Token(b.toString(), true));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j))
                        || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(s.substring(i, j), false));
                i = j;
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "' at " + i);
            }
        }
        return out;
    }
}
