package dev.rewind.registry.service;

import dev.rewind.registry.Server;
import dev.rewind.registry.crypto.SecretCipher;
import dev.rewind.registry.repository.ServerRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Completes a key rotation and checks every stored secret: each is decrypted (so one that no configured key opens,
 * or one copied from another row, is found), and each not yet encrypted with the current key (an older key, or the
 * form from before key ids) is encrypted again with it, in one transaction, rows locked. A value that does not
 * decrypt is left as it is and named (by server id) in the result.
 */
@ApplicationScoped
public class SecretRotation {

    /**
     * @param checked       stored secrets read
     * @param reencrypted   of those, written again with the current key
     * @param undecryptable servers whose secret no configured key decrypts (left as they were)
     */
    public record Result(String currentKeyId, int checked, int reencrypted, List<UUID> undecryptable) {
    }

    private final ServerRepository servers;
    private final SecretCipher cipher;

    public SecretRotation(ServerRepository servers, SecretCipher cipher) {
        this.servers = servers;
        this.cipher = cipher;
    }

    @WithTransaction
    public Uni<Result> reencryptAll() {
        return servers.findAll().withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .map(found -> {
                    int done = 0;
                    List<UUID> failed = new ArrayList<>();
                    for (Server server : found) {
                        try {
                            String plain = cipher.decrypt(server.id, server.passwordCipher);
                            if (cipher.needsReencryption(server.passwordCipher)) {
                                server.passwordCipher = cipher.encrypt(server.id, plain);
                                done++;
                            }
                        } catch (IllegalStateException e) {
                            failed.add(server.id);
                            Log.errorf("the secret of server %s cannot be re-encrypted: %s", server.id, e.getMessage());
                        }
                    }
                    Log.infof("re-encrypted %d stored secrets with key %s (%d could not be decrypted)", done,
                            cipher.currentKeyId(), failed.size());
                    return new Result(cipher.currentKeyId(), found.size(), done, List.copyOf(failed));
                });
    }
}
