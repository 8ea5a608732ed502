package linegate.meta;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A key store with a self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool in the test's own
 * folder: a TLS server presents it, and a client that trusts exactly it checks the host name as it would Meta's.
 */
record SelfSignedTls(Path keyStore, String password) {
    static SelfSignedTls create(Path folder) throws IOException, InterruptedException {
        Path keyStore = folder.resolve("graph-test.p12");
        String password = "graph-test-password";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "graph", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool could not make the test's certificate: " + output);
        }
        return new SelfSignedTls(keyStore, password);
    }

    /** A client side that trusts this certificate only, and checks that it names the host connected to. */
    SslContextFactory.Client trustingIt() {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStorePath(keyStore.toString());
        tls.setTrustStorePassword(password);
        tls.setTrustStoreType("PKCS12");
        return tls;
    }
}
