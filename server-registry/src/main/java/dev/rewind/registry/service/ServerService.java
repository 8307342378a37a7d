package dev.rewind.registry.service;

import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.registry.ConnectionMethod;
import dev.rewind.registry.Server;
import dev.rewind.registry.ServerStatus;
import dev.rewind.registry.crypto.SecretCipher;
import dev.rewind.registry.messaging.ServerEvents;
import dev.rewind.registry.repository.ServerRepository;
import dev.rewind.registry.rest.RegisterServerRequest;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The rules of a server's registration and life. */
@ApplicationScoped
public class ServerService {

    /** The first onboarding step; pitr-service reports the rest. */
    public static final String FIRST_STEP = "provisioning";

    private final ServerRepository servers;
    private final SecretCipher cipher;
    private final Outbox outbox;

    public ServerService(ServerRepository servers, SecretCipher cipher, Outbox outbox) {
        this.servers = servers;
        this.cipher = cipher;
        this.outbox = outbox;
    }

    @WithSession
    public Uni<List<Server>> list(String tenant, boolean includeDecommissioned) {
        return servers.listForTenant(tenant, includeDecommissioned);
    }

    /** The tenant's server; 404 when it does not exist or belongs to another tenant. */
    @WithSession
    public Uni<Server> get(String tenant, UUID id) {
        return servers.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No server " + id));
    }

    /** Registers a server and starts its onboarding (event server.registered, in the same transaction). */
    @WithTransaction
    public Uni<Server> register(String tenant, RegisterServerRequest request) {
        ConnectionMethod method = connectionMethod(request);
        return servers.nameInUse(tenant, request.name())
                .chain(taken -> {
                    if (taken) {
                        return Uni.createFrom().failure(ProblemException.conflict("A server named '" + request.name() + "' already exists"));
                    }
                    Server server = newServer(tenant, request, method);
                    return servers.persist(server).call(saved -> outbox.publish(ServerEvents.registered(saved)));
                });
    }

    private Server newServer(String tenant, RegisterServerRequest request, ConnectionMethod method) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Server server = new Server();
        server.id = UUID.randomUUID();
        server.tenant = tenant;
        server.name = request.name();
        server.host = request.host().trim();
        server.port = request.port();
        server.username = request.username();
        server.passwordCipher = cipher.encrypt(request.password());
        server.connectionMethod = method;
        if (method == ConnectionMethod.ssh_tunnel) {
            server.sshJumpHost = request.sshJumpHost().trim();
            server.sshJumpPort = request.sshJumpPort();
            server.sshJumpUser = request.sshJumpUser();
        }
        server.status = ServerStatus.onboarding;
        server.onboardingStep = FIRST_STEP;
        server.createdAt = now;
        server.updatedAt = now;
        return server;
    }

    private static ConnectionMethod connectionMethod(RegisterServerRequest request) {
        ConnectionMethod method = request.connectionMethod() == null
                ? ConnectionMethod.direct
                : ConnectionMethod.valueOf(request.connectionMethod());
        if (method == ConnectionMethod.ssh_tunnel) {
            List<Problem.FieldError> missing = new ArrayList<>();
            if (request.sshJumpHost() == null || request.sshJumpHost().isBlank()) {
                missing.add(new Problem.FieldError("ssh_jump_host", "is required for connection_method ssh_tunnel"));
            }
            if (request.sshJumpPort() == null) {
                missing.add(new Problem.FieldError("ssh_jump_port", "is required for connection_method ssh_tunnel"));
            }
            if (request.sshJumpUser() == null || request.sshJumpUser().isBlank()) {
                missing.add(new Problem.FieldError("ssh_jump_user", "is required for connection_method ssh_tunnel"));
            }
            if (!missing.isEmpty()) {
                throw ProblemException.invalid("An ssh_tunnel server needs its jump host, port and user", missing);
            }
        }
        return method;
    }
}
