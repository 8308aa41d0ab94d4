package dev.runtimeplane.core.id;

/** The id of a tenant. Validated on construction; see {@link Ids} for the allowed form. */
public record TenantId(String value) {

    public TenantId {
        Ids.requireValid("tenantId", value);
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
