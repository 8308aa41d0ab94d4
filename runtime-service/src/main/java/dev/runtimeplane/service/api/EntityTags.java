package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state API's If-Match and If-None-Match headers (RFC 9110, section 13.1): {@code *} or a
 * comma-separated list of entity tags. Tags this API sends are strong ({@code "7"}); a weak tag
 * ({@code W/"7"}) never matches for If-Match (strong comparison) and matches its version for
 * If-None-Match (weak comparison).
 */
record EntityTags(boolean any, List<Tag> tags) {

    private static final Pattern TAG = Pattern.compile("(W/)?\"([^\"]*)\"");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");

    /** One entity tag; {@code version} is -1 when the opaque tag is not one this API could have sent. */
    record Tag(boolean weak, long version) {
    }

    /** Parses a header's value; a malformed list is a 400 naming {@code header}. */
    static EntityTags parse(String header, String value) {
        String trimmed = value.strip();
        if (trimmed.equals("*")) {
            return new EntityTags(true, List.of());
        }
        List<Tag> tags = new ArrayList<>();
        for (String member : trimmed.split(",", -1)) {
            Matcher matcher = TAG.matcher(member.strip());
            if (!matcher.matches()) {
                throw new InvalidArgumentException(header, header
                        + " must be * or a list of ETags this API returned, such as \"3\"");
            }
            String opaque = matcher.group(2);
            tags.add(new Tag(matcher.group(1) != null, VERSION.matcher(opaque).matches() ? Long.parseLong(opaque) : -1));
        }
        return new EntityTags(false, List.copyOf(tags));
    }

    /** Strong comparison (If-Match): only {@code *} or the same strong tag. */
    boolean strongMatch(long version) {
        return any || tags.stream().anyMatch(tag -> !tag.weak() && tag.version() == version);
    }

    /** Weak comparison (If-None-Match): {@code *} or a tag of the same version, weak or strong. */
    boolean weakMatch(long version) {
        return any || tags.stream().anyMatch(tag -> tag.version() == version);
    }

    /** The one version a conditional write can name to the store, when the header names exactly one. */
    long singleStrongVersion() {
        List<Tag> strong = tags.stream().filter(tag -> !tag.weak() && tag.version() >= 0).toList();
        return !any && strong.size() == 1 && tags.size() == 1 ? strong.getFirst().version() : -1;
    }
}
