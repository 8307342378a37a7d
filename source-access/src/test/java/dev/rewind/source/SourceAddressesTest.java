package dev.rewind.source;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a tenant's source may have: never metadata or link-local ones, loopback and private only when allowed. */
class SourceAddressesTest {

    static SourceAddresses policy(List<String> deny, boolean loopback, boolean privateRanges) {
        return new SourceAddresses(new SourceAddresses.Policy() {
            public List<String> deny() {
                return deny;
            }

            public boolean allowLoopback() {
                return loopback;
            }

            public boolean allowPrivate() {
                return privateRanges;
            }
        });
    }

    static final List<String> DEFAULT_DENY = List.of("169.254.0.0/16", "fe80::/10", "fd00::/8", "0.0.0.0/8");

    @Test
    void byDefaultOnlyPublicAddressesAreSources() throws Exception {
        SourceAddresses addresses = policy(DEFAULT_DENY, false, false);
        assertEquals("203.0.113.7", SourceAddresses.literal(addresses.check("203.0.113.7")));
        for (String host : List.of("169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254", "fe80::1", "127.0.0.1", "::1",
                "localhost", "10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1", "fc00::1", "0.0.0.0", "224.0.0.1")) {
            SourceAddresses.Refused refused = assertThrows(SourceAddresses.Refused.class, () -> addresses.check(host), host);
            assertTrue(refused.getMessage().startsWith("The host " + host + " resolves to "), refused.getMessage());
        }
        assertThrows(SourceAddresses.Refused.class, () -> addresses.check("no-such-host.invalid"));
    }

    @Test
    void loopbackAndPrivateAddressesWhenConfiguredButNeverTheDeniedRanges() throws Exception {
        SourceAddresses local = policy(List.of("169.254.0.0/16", "fd00::/8", "10.96.0.0/12"), true, true);
        assertEquals("127.0.0.1", SourceAddresses.literal(local.check("127.0.0.1")));
        assertEquals("192.168.1.1", SourceAddresses.literal(local.check("192.168.1.1")));
        assertEquals("10.1.2.3", SourceAddresses.literal(local.check("10.1.2.3")));
        assertThrows(SourceAddresses.Refused.class, () -> local.check("169.254.169.254"));
        SourceAddresses.Refused controlPlane = assertThrows(SourceAddresses.Refused.class, () -> local.check("10.100.0.5"));
        assertTrue(controlPlane.getMessage().contains("10.96.0.0/12"), controlPlane.getMessage());
    }

    @Test
    void aNameThatDoesNotResolveYetPassesOnlyTheRegistrationCheck() throws Exception {
        SourceAddresses addresses = policy(DEFAULT_DENY, false, false);
        addresses.checkIfResolvable("db.not-yet.invalid");
        assertThrows(SourceAddresses.Refused.class, () -> addresses.checkIfResolvable("169.254.169.254"));
    }

    @Test
    void aDenyListThatIsNotCidrStopsTheServiceSayingWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> policy(List.of("10.0.0.0/40"), false, false));
        assertTrue(e.getMessage().contains("10.0.0.0/40"));
        assertThrows(IllegalStateException.class, () -> policy(List.of("not-an-address/8"), false, false));
    }
}
