package dev.runtimeplane.state;

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

    static LuaScript load(String name) {
        String resource = "lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            byte[] source = in.readAllBytes();
            return new LuaScript(name, source, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script resource " + resource, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
