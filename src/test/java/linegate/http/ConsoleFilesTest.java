package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files as the server serves them (docs/operations.md, "Console"): every answer under {@code /console/}
 * carries the strict Content-Security-Policy and its companions, every file the page loads is there, nothing else of
 * the jar is, and no script of the console parses markup. The files hold no data, so one database is enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleFilesTest {
    private static final Path SOURCES = Path.of("src/main/resources/console");
    private static final Pattern PAGE_REFS = Pattern.compile("(?:src|href)=\"(/console/[^\"]+)\"");
    private static final Pattern IMPORTS = Pattern.compile("from '\\./([^']+)'");
    private Gateway gw;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = Gateway.start(TestDb.SQLITE, tmp);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void servesThePageWithAStrictContentSecurityPolicy() {
        for (String path : List.of("/console/", "/console")) {
            Gateway.Response r = gw.get(path);

            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertSecured(r, path);
            assertThat(r.raw()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
        }
    }

    @Test
    void servesEveryFileThePageAndItsModulesLoadWithTheSameHeaders() {
        Set<String> loaded = new LinkedHashSet<>();
        Matcher page = PAGE_REFS.matcher(gw.get("/console/").raw());
        while (page.find()) {
            loaded.add(page.group(1));
        }
        List<String> modules = new ArrayList<>(loaded.stream().filter(p -> p.endsWith(".js")).toList());
        for (int i = 0; i < modules.size(); i++) {
            Matcher imports = IMPORTS.matcher(gw.get(modules.get(i)).raw());
            while (imports.find()) {
                String module = "/console/" + imports.group(1);
                if (loaded.add(module)) {
                    modules.add(module);
                }
            }
        }
        assertThat(loaded).contains("/console/app.js", "/console/console.css", "/console/dom.js", "/console/messages.js");

        for (String path : loaded) {
            Gateway.Response r = gw.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertSecured(r, path);
            String type = r.headers().firstValue("Content-Type").orElseThrow();
            if (path.endsWith(".js")) {
                assertThat(type).as(path).isEqualTo("text/javascript;charset=utf-8");
            } else if (path.endsWith(".css")) {
                assertThat(type).as(path).isEqualTo("text/css;charset=utf-8");
            }
        }
    }

    @Test
    void answers404ForAnyOtherPathOfTheJar() {
        for (String path : List.of("/console/nothing.js", "/console/logback.xml", "/console/..%2Flogback.xml",
                "/console/%2e%2e%2fdb%2fmigration", "/console/INDEX.HTML", "/console/app.js.map")) {
            Gateway.Response r = gw.get(path);

            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.raw()).as(path).doesNotContain("<configuration");
        }
        assertSecured(gw.get("/console/nothing.js"), "/console/nothing.js");
    }

    /** Customers' text reaches the page only as text: no script of the console hands a string to a markup parser. */
    @Test
    void noScriptOfTheConsoleParsesMarkupOrEvaluatesStrings() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(SOURCES)) {
            scripts = files.filter(p -> p.toString().endsWith(".js")).toList();
        }
        assertThat(scripts).hasSizeGreaterThan(5);
        for (Path script : scripts) {
            assertThat(Files.readString(script)).as(script.toString())
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                            "new Function", "DOMParser", "createContextualFragment", "localStorage", "sessionStorage");
        }
        assertThat(Files.readString(SOURCES.resolve("index.html"))).doesNotContain(" style=", "<style")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContainPattern("<script(?![^>]*\\ssrc=)");
    }

    private static void assertSecured(Gateway.Response r, String path) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue("default-src 'self'; script-src"
                + " 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
                + " form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
    }
}
