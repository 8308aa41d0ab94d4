package dev.runtimeplane.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script from {@code src/main/resources/dev/runtimeplane/state/lua}, with the SHA-1 digest
 * that {@code EVALSHA} names it by. Redis caches scripts by digest; {@link RedisGateway} falls back
 * to {@code EVAL} (which also caches it) when a server answers NOSCRIPT, e.g. after a restart.
 */
record LuaScript(String name, byte[] source, String sha1) {

    /**
     * The script {@code name}, preceded by the {@code libraries} it calls (files of local functions): an
     * EVAL script cannot include another, so code two scripts share is put in front of each.
     */
    static LuaScript load(String name, String... libraries) {
        ByteArrayOutputStream source = new ByteArrayOutputStream();
        for (String library : libraries) {
            source.writeBytes(resource(library));
        }
        source.writeBytes(resource(name));
        byte[] bytes = source.toByteArray();
        try {
            return new LuaScript(name, bytes, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    private static byte[] resource(String name) {
        String resource = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script resource " + resource, e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
