package dev.rewind.registry.rest;

import dev.rewind.registry.service.SecretRotation;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Key rotation for an operator (a service account's token; never exposed by the gateway): after a new
 * {@code rewind.secrets.key} is configured with the old one among {@code rewind.secrets.previous-keys},
 * {@code POST /internal/secrets/re-encrypt} writes every stored secret again with the new key, after which the old
 * key can be removed. {@code ./rewind secrets-reencrypt} calls it on the local stack.
 */
@Path("/internal/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal", description = "For Rewind's services only; not routed by the gateway")
public class InternalSecretsResource {

    private final SecretRotation rotation;
    private final ServiceCaller caller;

    public InternalSecretsResource(SecretRotation rotation, ServiceCaller caller) {
        this.rotation = rotation;
        this.caller = caller;
    }

    @POST
    @Path("/re-encrypt")
    @PermissionsAllowed("servers:connect")
    public Uni<SecretRotation.Result> reencrypt() {
        caller.require();
        return rotation.reencryptAll();
    }
}
