package dev.rewind.registry.service;

import dev.rewind.commons.audit.Audit;
import dev.rewind.commons.outbox.Outbox;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.registry.ConnectionMethod;
import dev.rewind.registry.OnboardingStep;
import dev.rewind.registry.Server;
import dev.rewind.registry.ServerStatus;
import dev.rewind.registry.check.ConnectionCheck;
import dev.rewind.registry.crypto.SecretCipher;
import dev.rewind.registry.messaging.ServerEvents;
import dev.rewind.registry.repository.ServerRepository;
import dev.rewind.registry.rest.RegisterServerRequest;
import dev.rewind.registry.rest.UpdateServerRequest;
import dev.rewind.source.SourceEndpoint;
import dev.rewind.source.SourceTls;
import dev.rewind.source.TlsMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The rules of a server's registration and life. Registration and a change of host, port or credential are
 * checked against the real server first ({@link ConnectionCheck}, outside any transaction), then committed with
 * their event and audit record. ssh_tunnel servers are not checked: their jump host admits Rewind only after the
 * customer whitelisted its IP (the awaiting_firewall step).
 */
@ApplicationScoped
public class ServerService {

    private static final String NAME_INDEX = "server_tenant_name";

    private final ServerRepository servers;
    private final OnboardingService onboarding;
    private final SecretCipher cipher;
    private final Outbox outbox;
    private final Audit audit;
    private final ConnectionCheck check;

    public ServerService(ServerRepository servers, OnboardingService onboarding, SecretCipher cipher, Outbox outbox,
            Audit audit, ConnectionCheck check) {
        this.servers = servers;
        this.onboarding = onboarding;
        this.cipher = cipher;
        this.outbox = outbox;
        this.audit = audit;
        this.check = check;
    }

    @WithSession
    public Uni<List<Server>> list(String tenant, boolean includeDecommissioned) {
        return servers.listForTenant(tenant, includeDecommissioned);
    }

    /** The tenant's server; 404 when it does not exist or belongs to another tenant. */
    @WithSession
    public Uni<Server> get(String tenant, UUID id) {
        return servers.findForTenant(tenant, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * Registers a server and starts its onboarding (event server.registered, in the same transaction): 409 for a
     * name in use, 422 when the connection check finds the server not ready (unless skip_checks).
     */
    public Uni<Server> register(String tenant, String actor, RegisterServerRequest request) {
        ConnectionMethod method = request.connectionMethod() == null ? ConnectionMethod.direct
                : ConnectionMethod.valueOf(request.connectionMethod());
        requireJumpHost(method, request.sshJumpHost(), request.sshJumpPort(), request.sshJumpUser());
        SourceTls tls = tls(request.tlsMode(), request.tlsCaCert());
        SourceEndpoint source = SourceEndpoint.of(request.host().trim(), request.port(), request.username(), request.password(), tls);
        return Panache.withSession(() -> servers.nameInUse(tenant, request.name(), null))
                .chain(taken -> taken ? Uni.createFrom().failure(duplicate(request.name())) : Uni.createFrom().voidItem())
                .chain(() -> check.allowed(source.host(), method == ConnectionMethod.ssh_tunnel ? request.sshJumpHost().trim() : null))
                .chain(() -> checkFirst(method, source, request.skipChecksRequested()))
                .chain(() -> Panache.withTransaction(() -> {
                    Server server = newServer(tenant, request, method, tls);
                    return servers.persist(server)
                            .call(saved -> outbox.publish(ServerEvents.registered(saved)))
                            .call(saved -> audit.record(tenant, actor, "server.registered", "server", saved.id.toString(),
                                    Map.of("name", saved.name, "host", saved.host, "port", saved.port, "checked", checked(method, request.skipChecksRequested()))));
                }))
                .onFailure(ServerService::isDuplicateName).transform(e -> duplicate(request.name()));
    }

    /**
     * Changes the given fields. A changed host, port, username or password is checked first (unless skip_checks)
     * and restarts onboarding. Publishes server.updated with the changed field names; nothing changed, nothing
     * published.
     */
    public Uni<Server> update(String tenant, String actor, UUID id, UpdateServerRequest request) {
        return Panache.withSession(() -> servers.findForTenant(tenant, id)
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .map(server -> plan(server, request))
                        .call(plan -> !plan.changed().contains("name") ? Uni.createFrom().voidItem()
                                : servers.nameInUse(tenant, plan.name(), id).chain(taken -> taken
                                        ? Uni.createFrom().failure(duplicate(plan.name()))
                                        : Uni.createFrom().voidItem())))
                .call(plan -> check.allowed(plan.host(), plan.sshJumpHost()))
                .call(plan -> plan.connectionChanged() ? checkFirst(plan.method(), plan.source(), request.skipChecksRequested())
                        : Uni.createFrom().voidItem())
                .chain(plan -> Panache.withTransaction(() -> servers.findForTenantForUpdate(tenant, id)
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .chain(server -> apply(server, plan, actor, request.skipChecksRequested()))))
                .onFailure(ServerService::isDuplicateName).transform(e -> duplicate(request.name()));
    }

    /** Soft delete: the server is decommissioned (hidden from lists) and server.decommissioned stops its streaming and schedules. */
    @WithTransaction
    public Uni<Void> decommission(String tenant, String actor, UUID id) {
        return servers.findForTenantForUpdate(tenant, id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(server -> {
                    if (server.status == ServerStatus.decommissioned) {
                        return Uni.createFrom().failure(ProblemException.conflict("Server " + id + " is already decommissioned"));
                    }
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    server.status = ServerStatus.decommissioned;
                    server.decommissionedAt = now;
                    server.updatedAt = now;
                    return outbox.publish(ServerEvents.decommissioned(server))
                            .chain(() -> audit.record(tenant, actor, "server.decommissioned", "server", id.toString(), Map.of("name", server.name)));
                });
    }

    /** The server with its recorded onboarding steps. */
    @WithSession
    public Uni<OnboardingProgress> onboardingProgress(String tenant, UUID id) {
        return servers.findForTenant(tenant, id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(server -> onboarding.steps(id).map(steps -> new OnboardingProgress(server, steps)));
    }

    /**
     * The customer whitelisted Rewind's outbound IP: completes awaiting_firewall and publishes server.updated with
     * firewall_confirmed, on which pitr-service resumes. 400 unless an ssh_tunnel server at awaiting_firewall.
     */
    @WithTransaction
    public Uni<Server> confirmFirewall(String tenant, String actor, UUID id) {
        return servers.findForTenantForUpdate(tenant, id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(server -> {
                    if (server.connectionMethod != ConnectionMethod.ssh_tunnel) {
                        return Uni.createFrom().failure(ProblemException.badRequest(
                                "Only ssh_tunnel servers confirm a firewall; this one connects " + server.connectionMethod));
                    }
                    if (server.status != ServerStatus.onboarding || !OnboardingStep.awaiting_firewall.name().equals(server.onboardingStep)) {
                        return Uni.createFrom().failure(ProblemException.badRequest("The server is not at onboarding step awaiting_firewall (status "
                                + server.status + ", step " + server.onboardingStep + ")"));
                    }
                    return onboarding.confirmFirewall(server)
                            .chain(() -> audit.record(tenant, actor, "server.firewall_confirmed", "server", id.toString(), Map.of()))
                            .replaceWith(server);
                });
    }

    /**
     * A server's connection details with the decrypted password, for service accounts (any tenant); every read is
     * audited. A decommissioned server has none (404).
     */
    @WithTransaction
    public Uni<ServerConnection> connection(UUID id, String actor) {
        return servers.findById(id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(server -> server.status == ServerStatus.decommissioned
                        ? Uni.createFrom().failure(ProblemException.notFound("Server " + id + " is decommissioned"))
                        : audit.record(server.tenant, actor, "server.connection.read", "server", id.toString(), Map.of("client", actor))
                                .replaceWith(() -> new ServerConnection(server, cipher.decrypt(server.id, server.passwordCipher))));
    }

    private Uni<Void> checkFirst(ConnectionMethod method, SourceEndpoint source, boolean skip) {
        return checked(method, skip) ? check.verify(source) : Uni.createFrom().voidItem();
    }

    private static boolean checked(ConnectionMethod method, boolean skip) {
        return !skip && method != ConnectionMethod.ssh_tunnel;
    }

    /** What a PATCH changes, computed against the server as read; validated (400) before anything is checked or written. */
    private Changes plan(Server server, UpdateServerRequest request) {
        if (server.status == ServerStatus.decommissioned) {
            throw ProblemException.conflict("Server " + server.id + " is decommissioned and cannot be changed");
        }
        String currentPassword = cipher.decrypt(server.id, server.passwordCipher);
        ConnectionMethod method = request.connectionMethod() == null ? server.connectionMethod
                : ConnectionMethod.valueOf(request.connectionMethod());
        boolean tunnel = method == ConnectionMethod.ssh_tunnel;
        Changes changes = new Changes(
                or(request.name(), server.name),
                request.host() == null ? server.host : request.host().trim(),
                or(request.port(), server.port),
                or(request.username(), server.username),
                request.password() == null ? currentPassword : request.password(),
                method,
                tunnel ? or(request.sshJumpHost() == null ? null : request.sshJumpHost().trim(), server.sshJumpHost) : null,
                tunnel ? or(request.sshJumpPort(), server.sshJumpPort) : null,
                tunnel ? or(request.sshJumpUser(), server.sshJumpUser) : null,
                tls(request, server),
                new ArrayList<>());
        requireJumpHost(method, changes.sshJumpHost(), changes.sshJumpPort(), changes.sshJumpUser());
        changes.note("name", server.name, changes.name());
        changes.note("host", server.host, changes.host());
        changes.note("port", server.port, changes.port());
        changes.note("username", server.username, changes.username());
        changes.note("password", currentPassword, changes.password());
        changes.note("connection_method", server.connectionMethod, changes.method());
        changes.note("ssh_jump_host", server.sshJumpHost, changes.sshJumpHost());
        changes.note("ssh_jump_port", server.sshJumpPort, changes.sshJumpPort());
        changes.note("ssh_jump_user", server.sshJumpUser, changes.sshJumpUser());
        changes.note("tls_mode", server.tlsMode, changes.tls().mode());
        changes.note("tls_ca_cert", server.tlsCaCert, changes.tls().caPem());
        return changes;
    }

    private Uni<Server> apply(Server server, Changes changes, String actor, boolean skipChecks) {
        if (server.status == ServerStatus.decommissioned) {
            return Uni.createFrom().failure(ProblemException.conflict("Server " + server.id + " is decommissioned and cannot be changed"));
        }
        if (changes.changed().isEmpty()) {
            return Uni.createFrom().item(server);
        }
        for (String field : changes.changed()) {
            switch (field) {
                case "name" -> server.name = changes.name();
                case "host" -> server.host = changes.host();
                case "port" -> server.port = changes.port();
                case "username" -> server.username = changes.username();
                case "password" -> server.passwordCipher = cipher.encrypt(server.id, changes.password());
                case "connection_method" -> server.connectionMethod = changes.method();
                case "ssh_jump_host" -> server.sshJumpHost = changes.sshJumpHost();
                case "ssh_jump_port" -> server.sshJumpPort = changes.sshJumpPort();
                case "ssh_jump_user" -> server.sshJumpUser = changes.sshJumpUser();
                case "tls_mode" -> server.tlsMode = changes.tls().mode();
                case "tls_ca_cert" -> server.tlsCaCert = changes.tls().caPem();
                default -> throw new IllegalStateException("unknown field " + field);
            }
        }
        server.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        Uni<Void> restart = changes.connectionChanged() ? onboarding.restart(server) : Uni.createFrom().voidItem();
        return restart
                .chain(() -> outbox.publish(ServerEvents.updated(server, changes.changed(), changes.connectionChanged())))
                .chain(() -> audit.record(server.tenant, actor, "server.updated", "server", server.id.toString(),
                        Map.of("changed", List.copyOf(changes.changed()), "connection_changed", changes.connectionChanged(),
                                "checked", changes.connectionChanged() && checked(changes.method(), skipChecks))))
                .replaceWith(server);
    }

    /** The state a PATCH leads to and the names of the fields it changes. Holds a password: never printed. */
    private record Changes(String name, String host, int port, String username, String password, ConnectionMethod method,
            String sshJumpHost, Integer sshJumpPort, String sshJumpUser, SourceTls tls, List<String> changed) {

        private static final List<String> CONNECTION = List.of("host", "port", "username", "password", "tls_mode", "tls_ca_cert");

        void note(String field, Object before, Object after) {
            if (!Objects.equals(before, after)) {
                changed.add(field);
            }
        }

        boolean connectionChanged() {
            return changed.stream().anyMatch(CONNECTION::contains);
        }

        SourceEndpoint source() {
            return SourceEndpoint.of(host, port, username, password, tls);
        }

        @Override
        public String toString() {
            return "Changes" + changed;
        }
    }

    /**
     * The TLS settings a request asks for, checked: 400 naming the field when the CA certificates cannot be read or
     * come with a mode that checks none.
     */
    private static SourceTls tls(String mode, String caPem) {
        try {
            return SourceTls.of(mode, caPem);
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("tls_mode") ? "tls_mode" : "tls_ca_cert";
            throw ProblemException.invalid(e.getMessage(), List.of(new Problem.FieldError(field, e.getMessage())));
        }
    }

    /**
     * The TLS settings a PATCH leads to: an absent field keeps its value, an empty tls_ca_cert removes it, and a mode
     * that checks no certificate keeps no CA certificate.
     */
    private static SourceTls tls(UpdateServerRequest request, Server server) {
        TlsMode mode = request.tlsMode() == null ? server.tlsMode : TlsMode.parse(request.tlsMode());
        String ca = request.tlsCaCert() != null ? request.tlsCaCert()
                : mode.verifiesCertificate() ? server.tlsCaCert : null;
        return tls(mode.wire(), ca);
    }

    private Server newServer(String tenant, RegisterServerRequest request, ConnectionMethod method, SourceTls tls) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Server server = new Server();
        server.id = UUID.randomUUID();
        server.tenant = tenant;
        server.name = request.name();
        server.host = request.host().trim();
        server.port = request.port();
        server.username = request.username();
        server.passwordCipher = cipher.encrypt(server.id, request.password());
        server.connectionMethod = method;
        server.tlsMode = tls.mode();
        server.tlsCaCert = tls.caPem();
        if (method == ConnectionMethod.ssh_tunnel) {
            server.sshJumpHost = request.sshJumpHost().trim();
            server.sshJumpPort = request.sshJumpPort();
            server.sshJumpUser = request.sshJumpUser();
        }
        server.status = ServerStatus.onboarding;
        server.onboardingStep = OnboardingStep.FIRST.name();
        server.createdAt = now;
        server.updatedAt = now;
        return server;
    }

    private static void requireJumpHost(ConnectionMethod method, String host, Integer port, String user) {
        if (method != ConnectionMethod.ssh_tunnel) {
            return;
        }
        List<Problem.FieldError> missing = new ArrayList<>();
        if (host == null || host.isBlank()) {
            missing.add(new Problem.FieldError("ssh_jump_host", "is required for connection_method ssh_tunnel"));
        }
        if (port == null) {
            missing.add(new Problem.FieldError("ssh_jump_port", "is required for connection_method ssh_tunnel"));
        }
        if (user == null || user.isBlank()) {
            missing.add(new Problem.FieldError("ssh_jump_user", "is required for connection_method ssh_tunnel"));
        }
        if (!missing.isEmpty()) {
            throw ProblemException.invalid("An ssh_tunnel server needs its jump host, port and user", missing);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("No server " + id);
    }

    private static ProblemException duplicate(String name) {
        return ProblemException.conflict("A server named '" + name + "' already exists");
    }

    /** A concurrent registration won the race for the name: the unique index said no. */
    private static boolean isDuplicateName(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (!(t instanceof ProblemException) && t.getMessage() != null && t.getMessage().contains(NAME_INDEX)) {
                return true;
            }
        }
        return false;
    }
}
