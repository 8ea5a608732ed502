package linegate.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which addresses a callback may go to, judged on what Java's own parser makes of each literal. */
class CallbackAddressesTest {
    final CallbackAddresses strict = new CallbackAddresses(false);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "169.254.169.254", "169.254.1.1", "100.64.0.1", "100.127.255.255", "224.0.0.1",
            "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "fec0::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::10.0.0.1",
            "0:0:0:0:0:ffff:7f00:1"})
    void refusesPrivateLoopbackLinkLocalAndMetadataLiterals(String literal) {
        assertThatThrownBy(() -> strict.resolve(literal))
                .isInstanceOf(RefusedCallbackUrlException.class)
                .hasMessageContaining("LINEGATE_CALLBACK_ALLOW_PRIVATE=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1",
            "2606:4700::6810:84e5", "::ffff:8.8.8.8", "64:ff9b::808:808"})
    void allowsPublicLiterals(String literal) {
        assertThat(strict.resolve(literal)).hasSize(1);
    }

    @Test
    void saysWhyAnAddressIsRefused() throws Exception {
        assertThat(CallbackAddresses.refusal(InetAddress.getByName("169.254.169.254"))).contains("a cloud metadata address");
        assertThat(CallbackAddresses.refusal(InetAddress.getByName("127.0.0.1"))).contains("a loopback address");
        assertThat(CallbackAddresses.refusal(InetAddress.getByName("10.1.1.1"))).contains("a private address (RFC 1918)");
        assertThat(CallbackAddresses.refusal(InetAddress.getByName("100.100.1.1")))
                .contains("a shared CGNAT address (100.64.0.0/10)");
        assertThat(CallbackAddresses.refusal(InetAddress.getByName("fe80::1"))).contains("a link-local address (fe80::/10)");
        assertThatThrownBy(() -> strict.resolve("::ffff:192.168.0.10")).hasMessageContaining("resolves to 192.168.0.10, a private");
    }

    /**
     * Numeric forms other parsers read as IPv4. Java reads 2130706433, 127.1 and 127.0.0.01 as 127.0.0.1: refused.
     * It reads 0177.0.0.1 as decimal 177.0.0.1 (curl would say octal 127.0.0.1); that is the address the delivery
     * then connects to, a public one, so it is allowed. 0x7f000001 and 017700000001 are no literals to Java: it looks
     * them up as names, which do not exist.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "127.1", "127.0.0.01"})
    void numericFormsJavaReadsAsLoopbackAreRefused(String form) {
        assertThatThrownBy(() -> strict.resolve(form)).hasMessageContaining("resolves to 127.0.0.1, a loopback address");
    }

    @Test
    void aLeadingZeroIsDecimalToJavaAndTheCheckedAddressIsTheOneUsed() throws Exception {
        assertThat(strict.resolve("0177.0.0.1")).containsExactly(InetAddress.getByName("177.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f000001", "017700000001"})
    void formsJavaDoesNotReadAsLiteralsAreLookedUpAsNames(String form) {
        assertThatThrownBy(() -> strict.resolve(form)).hasMessageContaining("does not resolve");
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
        CallbackAddresses mixed = new CallbackAddresses(false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.5")});
        assertThatThrownBy(() -> mixed.resolve("crm.example.com")).hasMessageContaining("10.0.0.5");
    }

    @Test
    void metadataHostNamesAreRefusedByName() {
        assertThatThrownBy(() -> strict.resolve("metadata.google.internal")).hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> strict.resolve("METADATA.google.internal.")).hasMessageContaining("cloud metadata");
    }

    @Test
    void localhostIsRefusedUnlessPrivateAddressesAreAllowed() {
        assertThatThrownBy(() -> strict.resolve("localhost")).hasMessageContaining("a loopback address");
        assertThat(new CallbackAddresses(true).resolve("127.0.0.1")).hasSize(1);
    }

    @Test
    void urlsMustBeAbsoluteHttpWithoutUserInfo() {
        assertThat(CallbackUrl.parse("https://crm.example.com/hook?x=1").host()).isEqualTo("crm.example.com");
        assertThat(CallbackUrl.parse("http://[2606:4700::1]:8443/h").host()).isEqualTo("2606:4700::1");
        assertThatThrownBy(() -> CallbackUrl.parse("ftp://crm.example.com/")).hasMessageContaining("https://");
        assertThatThrownBy(() -> CallbackUrl.parse("/relative")).hasMessageContaining("https://");
        assertThatThrownBy(() -> CallbackUrl.parse("https://user:pw@crm.example.com/"))
                .hasMessageContaining("user name or password").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> CallbackUrl.parse("https:///nohost")).hasMessageContaining("no host");
        assertThatThrownBy(() -> CallbackUrl.parse("https://crm.example.com/" + "a".repeat(2100)))
                .hasMessageContaining("longer than 2048");
        assertThatThrownBy(() -> CallbackUrl.parse("https://crm example.com/")).hasMessageContaining("not a valid URL");
    }
}
