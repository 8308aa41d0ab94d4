package dev.runtimeplane.declarative;

/** JSON pointers (RFC 6901), used internally, and the JSONPath form problems are reported in. */
final class Pointers {

    private Pointers() {
    }

    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String index(String pointer, int index) {
        return pointer + "/" + index;
    }

    /** {@code /steps/1/action/url} becomes {@code $.steps[1].action.url}. */
    static String toJsonPath(String pointer) {
        StringBuilder path = new StringBuilder("$");
        if (pointer.isEmpty()) {
            return path.toString();
        }
        for (String token : pointer.substring(1).split("/", -1)) {
            String name = token.replace("~1", "/").replace("~0", "~");
            if (name.matches("[0-9]+")) {
                path.append('[').append(name).append(']');
            } else if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                path.append('.').append(name);
            } else {
                path.append("['").append(name.replace("'", "\\'")).append("']");
            }
        }
        return path.toString();
    }
}
