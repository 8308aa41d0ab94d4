package dev.runtimeplane.service.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a PromQL expression: each metric name with its label matchers. A small scanner,
 * enough for the expressions this repository's dashboard and rules use: aggregations, function names
 * (followed by a parenthesis), grouping clauses ({@code by (...)}, {@code ignoring(...)}), range and
 * subquery brackets, numbers and binary keywords are skipped.
 */
final class PromQlSelectors {

    /** Keywords followed by a parenthesized list of label names. */
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> OPERATORS = Set.of("and", "or", "unless", "bool", "offset", "atan2");
    /** Aggregations, which may be followed by a grouping clause before their parenthesis. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    record Matcher(String label, String operator, String value) {
    }

    record Selector(String metric, List<Matcher> matchers) {
    }

    private PromQlSelectors() {
    }

    static List<Selector> of(String expression) {
        List<Selector> selectors = new ArrayList<>();
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '[') {
                i = expression.indexOf(']', i) + 1;
            } else if (c == '"' || c == '\'') {
                i = endOfString(expression, i);
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(expression.charAt(i)) || expression.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expression.charAt(i)) || "_:".indexOf(expression.charAt(i)) >= 0)) {
                    i++;
                }
                String word = expression.substring(start, i);
                int next = skipSpaces(expression, i);
                if (GROUPING.contains(word)) {
                    i = next < n && expression.charAt(next) == '(' ? expression.indexOf(')', next) + 1 : next;
                } else if (OPERATORS.contains(word) || AGGREGATIONS.contains(word) || (next < n && expression.charAt(next) == '(')) {
                    i = next;
                } else if (next < n && expression.charAt(next) == '{') {
                    int close = closingBrace(expression, next);
                    selectors.add(new Selector(word, matchers(expression.substring(next + 1, close))));
                    i = close + 1;
                } else {
                    selectors.add(new Selector(word, List.of()));
                }
            } else {
                i++;
            }
        }
        return selectors;
    }

    /** The series of {@code label_values(selector, label)} (a Grafana variable query). */
    static List<Selector> ofLabelValuesQuery(String query) {
        String inner = query.substring(query.indexOf('(') + 1, query.lastIndexOf(','));
        return of(inner);
    }

    private static List<Matcher> matchers(String body) {
        List<Matcher> matchers = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            int start = skipSpaces(body, i);
            int op = start;
            while (op < body.length() && "=!~".indexOf(body.charAt(op)) < 0) {
                op++;
            }
            if (op >= body.length()) {
                break;
            }
            int quote = op;
            while ("=!~".indexOf(body.charAt(quote)) >= 0) {
                quote++;
            }
            quote = skipSpaces(body, quote);
            int end = endOfString(body, quote);
            matchers.add(new Matcher(body.substring(start, op).trim(), body.substring(op, quote).trim(),
                    body.substring(quote + 1, end - 1)));
            i = end;
            while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
                i++;
            }
        }
        return matchers;
    }

    private static int closingBrace(String text, int open) {
        int i = open + 1;
        while (text.charAt(i) != '}') {
            i = text.charAt(i) == '"' ? endOfString(text, i) : i + 1;
        }
        return i;
    }

    /** The index just past the string literal starting at {@code start}. */
    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
