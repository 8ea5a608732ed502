package linegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.Main;
import linegate.store.Line;
import linegate.store.LineClass;
import linegate.store.LineLogin;
import linegate.store.LogOutcome;
import linegate.store.LoggedError;
import linegate.store.NewLogEntry;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.TestDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The operator's commands as a user runs them, through {@link Main#run}: what they print on stdout (JSON, one object a
 * line), what they change in the database, and how they refuse bad input (one line on stderr, nothing on stdout).
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class OperatorCommandsTest {
    static final String PAT = "EAAGm0PX4ZCpsBAOperatorCommandsTestToken0123456789abcdQRST";
    static final String PAT2 = "EAAGm0PX4ZCpsBASecondOperatorToken9876543210zyxwUVWX";
    static final String IG = "17841405793187218";
    static final String PAGE = "106540352242922";
    static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void freshDatabase() {
        env = new HashMap<>(db.freshEnv(tmp));
    }

    /** One command's exit code and output. */
    record Run(int code, String out, String err) {
        List<JsonNode> json() {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    try {
                        nodes.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new AssertionError("not one JSON object a line: " + line, e);
                    }
                }
            }
            return nodes;
        }

        JsonNode single() {
            assertThat(out).as("one line of output").endsWith("\n").doesNotContain("\n\n");
            assertThat(out.strip().lines()).hasSize(1);
            return json().getFirst();
        }

        /** Exit code 0, and on stderr at most the line that says which database a writing command wrote to. */
        Run ok() {
            assertThat(code).as("exit code; stderr: " + err).isZero();
            assertThat(err.lines().filter(l -> !l.startsWith("linegate: wrote to ")).toList()).as("stderr").isEmpty();
            return this;
        }

        /** Refused: the exit code, one line on stderr that starts with "linegate: ", nothing on stdout. */
        Run refused(int exitCode, String... fragments) {
            assertThat(out).as("stdout").isEmpty();
            assertThat(code).as("exit code; stderr: " + err).isEqualTo(exitCode);
            assertThat(err).as("stderr").endsWith("\n");
            assertThat(err.strip().lines()).as("one line on stderr").hasSize(1);
            assertThat(err).startsWith("linegate: ").doesNotContain("\tat ").doesNotContain("Caused by");
            for (String f : fragments) {
                assertThat(err).contains(f);
            }
            return this;
        }
    }

    Run run(String... args) {
        return run(env, args);
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, env, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command with this text as its standard input. */
    Run runWithStdin(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    Stores stores() {
        return Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), Clock.systemUTC());
    }

    long createAccount(String name) {
        return run("account", "create", "--name", name).ok().single().get("id").asLong();
    }

    /** Lines created so far by {@link #createInstagramLine}: the first holds {@link #IG}, each later one an id of its own. */
    private int instagramLines;

    long createInstagramLine(long account, String token) {
        String ig = instagramLines++ == 0 ? IG : IG.substring(0, IG.length() - 3) + String.format("%03d", instagramLines);
        return run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--page-token", token,
                "--ig-account-id", ig).ok().single().get("id").asLong();
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    String rawSealedToken(long lineId) {
        try (Connection c = DriverManager.getConnection(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT page_token_sealed FROM lines WHERE id = " + lineId)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- account

    @Test
    void accountCreatePrintsOnlyTheNewId() {
        JsonNode first = run("account", "create", "--name", "Acme Dental").ok().single();
        JsonNode second = run("account", "create", "--name", "Other Clinic").ok().single();

        assertThat(fields(first)).containsExactly("id");
        assertThat(first.get("id").isIntegralNumber()).isTrue();
        assertThat(second.get("id").asLong()).isGreaterThan(first.get("id").asLong());
        try (Stores s = stores()) {
            assertThat(s.accounts().exists(first.get("id").asLong())).isTrue();
            assertThat(s.accounts().exists(second.get("id").asLong())).isTrue();
        }
    }

    @Test
    void accountCreateWithoutANameIsBadUsage() {
        run("account", "create").refused(2, "--name", "linegate account create --help");
    }

    @Test
    void accountCreateWithABlankNameIsRefused() {
        run("account", "create", "--name", "  ").refused(1, "name");
    }

    // ---- token

    @Test
    void tokenCreatePrintsTheIdAndATsidThatWorksAgainstTheStore() {
        long account = createAccount("Acme");

        JsonNode created = run("token", "create", "--account", Long.toString(account), "--label", "crm").ok().single();

        assertThat(fields(created)).containsExactly("id", "tsid");
        assertThat(created.get("id").isIntegralNumber()).isTrue();
        String tsid = created.get("tsid").asText();
        assertThat(tsid).matches("lgt_[A-Za-z0-9_-]{43}");
        try (Stores s = stores()) {
            assertThat(s.tokens().accountOf(tsid)).contains(account);
        }
    }

    @Test
    void everyTokenCreateGivesANewTsid() {
        long account = createAccount("Acme");

        JsonNode a = run("token", "create", "--account", Long.toString(account)).ok().single();
        JsonNode b = run("token", "create", "--account", Long.toString(account)).ok().single();

        assertThat(b.get("id").asLong()).isGreaterThan(a.get("id").asLong());
        assertThat(b.get("tsid").asText()).isNotEqualTo(a.get("tsid").asText());
    }

    @Test
    void tokenCreateForAnUnknownAccountIsRefused() {
        createAccount("Acme");

        run("token", "create", "--account", "999").refused(1, "account 999 does not exist", "linegate account create");
    }

    @Test
    void tokenCreateWithoutAnAccountIsBadUsage() {
        run("token", "create", "--label", "crm").refused(2, "--account");
    }

    @Test
    void tokenRevokePrintsTheIdAndRevokedAndTheTsidStopsWorking() {
        long account = createAccount("Acme");
        JsonNode created = run("token", "create", "--account", Long.toString(account)).ok().single();
        long id = created.get("id").asLong();

        JsonNode revoked = run("token", "revoke", Long.toString(id)).ok().single();

        assertThat(fields(revoked)).containsExactly("id", "revoked");
        assertThat(revoked.get("id").asLong()).isEqualTo(id);
        assertThat(revoked.get("revoked").isBoolean()).isTrue();
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        try (Stores s = stores()) {
            assertThat(s.tokens().accountOf(created.get("tsid").asText())).isEmpty();
        }
        assertThat(run("token", "revoke", Long.toString(id)).ok().single()).as("revoking twice is fine").isEqualTo(revoked);
    }

    @Test
    void tokenRevokeOfAnUnknownIdIsRefused() {
        run("token", "revoke", "4242").refused(1, "token 4242 does not exist");
    }

    @Test
    void tokenRevokeOfANonNumericIdIsBadUsage() {
        run("token", "revoke", "abc").refused(2, "'abc'");
    }

    @Test
    void tokenRevokeWithoutAnIdIsBadUsage() {
        run("token", "revoke").refused(2, "ID");
    }

    // ---- line create

    @Test
    void lineCreatePrintsTheAppIdAndStoresEveryOption() {
        long account = createAccount("Acme");

        JsonNode created = run("line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--page-token", PAT, "--ig-account-id", IG, "--page-id", PAGE).ok().single();

        assertThat(fields(created)).containsExactly("id");
        long id = created.get("id").asLong();
        try (Stores s = stores()) {
            Line line = s.lines().find(id).orElseThrow();
            assertThat(line.accountId()).isEqualTo(account);
            assertThat(line.lineClass()).isEqualTo(LineClass.INSTAGRAM);
            assertThat(line.active()).isTrue();
            assertThat(line.humanAgent()).isFalse();
            assertThat(line.igAccountId()).contains(IG);
            assertThat(line.pageId()).contains(PAGE);
            assertThat(line.pageToken().map(PageAccessToken::reveal)).contains(PAT);
        }
        assertThat(rawSealedToken(id)).startsWith("v1.").doesNotContain(PAT);
    }

    @Test
    void lineCreateTakesInactiveHumanAgentAndAMessengerClassInAnyCase() {
        long account = createAccount("Acme");

        long id = run("line", "create", "--account", Long.toString(account), "--class", "Messenger", "--page-id", PAGE,
                "--inactive", "--human-agent").ok().single().get("id").asLong();

        try (Stores s = stores()) {
            Line line = s.lines().find(id).orElseThrow();
            assertThat(line.lineClass()).isEqualTo(LineClass.MESSENGER);
            assertThat(line.active()).isFalse();
            assertThat(line.humanAgent()).isTrue();
            assertThat(line.pageToken()).isEmpty();
            assertThat(line.igAccountId()).isEmpty();
        }
    }

    @Test
    void lineCreateWithInstagramLoginStoresTheLoginTheExpiryAndTheSealedToken() {
        long account = createAccount("Acme");

        long id = run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--login",
                "instagram", "--ig-account-id", IG, "--page-token", PAT, "--token-expires", "2027-01-31T10:00:00Z")
                .ok().single().get("id").asLong();

        try (Stores s = stores()) {
            Line line = s.lines().find(id).orElseThrow();
            assertThat(line.login()).isEqualTo(LineLogin.INSTAGRAM);
            assertThat(line.igAccountId()).contains(IG);
            assertThat(line.pageId()).isEmpty();
            assertThat(line.pageToken().map(PageAccessToken::reveal)).contains(PAT);
            assertThat(line.tokenExpiresAtMillis()).contains(Instant.parse("2027-01-31T10:00:00Z").toEpochMilli());
            assertThat(line.tokenIssuedAtMillis()).isPresent();
        }
        assertThat(rawSealedToken(id)).startsWith("v1.").doesNotContain(PAT);
        JsonNode listed = run("line", "list").ok().single();
        assertThat(listed.get("login").asText()).isEqualTo("instagram");
        assertThat(listed.get("token_expires_at").asText()).isEqualTo("2027-01-31T10:00:00Z");
        assertThat(listed.toString()).doesNotContain(PAT);
    }

    @Test
    void lineCreateWithoutLoginIsAFacebookLineWithNoKnownExpiry() {
        long account = createAccount("Acme");

        long id = createInstagramLine(account, PAT);

        try (Stores s = stores()) {
            Line line = s.lines().find(id).orElseThrow();
            assertThat(line.login()).isEqualTo(LineLogin.FACEBOOK);
            assertThat(line.tokenExpiresAtMillis()).isEmpty();
        }
        JsonNode listed = run("line", "list").ok().single();
        assertThat(listed.get("login").asText()).isEqualTo("facebook");
        assertThat(listed.get("token_expires_at").isNull()).isTrue();
        assertThat(run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--login",
                "FACEBOOK", "--ig-account-id", "17841400000000001").ok().single().has("id")).isTrue();
    }

    @Test
    void lineCreateRefusesInstagramLoginWhereItDoesNotFit() {
        long account = createAccount("Acme");
        String acct = Long.toString(account);

        run("line", "create", "--account", acct, "--class", "messenger", "--login", "instagram", "--page-id", PAGE)
                .refused(1, "login (--login) instagram is for Instagram lines only");
        run("line", "create", "--account", acct, "--class", "instagram", "--login", "instagram", "--page-token", PAT)
                .refused(1, "login (--login) instagram needs ig_account_id (--ig-account-id)");
        run("line", "create", "--account", acct, "--class", "instagram", "--login", "instagram", "--ig-account-id", IG,
                "--page-id", PAGE).refused(1, "have no Facebook Page");
        run("line", "create", "--account", acct, "--class", "instagram", "--login", "tiktok", "--ig-account-id", IG)
                .refused(1, "login (--login) must be facebook or instagram", "'tiktok'");
        run("line", "create", "--account", acct, "--class", "instagram", "--ig-account-id", IG, "--token-expires",
                "2027-01-31T10:00:00Z").refused(1, "token_expires_at (--token-expires) is for Instagram Login lines");
        Run badExpiry = run("line", "create", "--account", acct, "--class", "instagram", "--login", "instagram",
                "--ig-account-id", IG, "--page-token", PAT, "--token-expires", "next tuesday")
                .refused(1, "token_expires_at (--token-expires) must be an ISO-8601 instant", "'next tuesday'");
        assertThat(badExpiry.err()).doesNotContain(PAT);
        try (Stores s = stores()) {
            assertThat(s.lines().list(Optional.empty())).isEmpty();
        }
    }

    @Test
    void lineCreateReadsThePageTokenFromStandardInput() {
        long account = createAccount("Acme");

        long id = runWithStdin(PAT + "\n", "line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--page-token", "-", "--ig-account-id", IG).ok().single().get("id").asLong();

        try (Stores s = stores()) {
            assertThat(s.lines().find(id).orElseThrow().pageToken().map(PageAccessToken::reveal)).contains(PAT);
        }
    }

    @Test
    void lineCreateWithAnEmptyStandardInputIsRefused() {
        long account = createAccount("Acme");

        runWithStdin("", "line", "create", "--account", Long.toString(account), "--class", "instagram", "--page-token", "-")
                .refused(1, "page_token (--page-token) is empty");
        try (Stores s = stores()) {
            assertThat(s.lines().list(Optional.empty())).isEmpty();
        }
    }

    @Test
    void lineCreateWithAnUnknownClassIsRefused() {
        long account = createAccount("Acme");

        run("line", "create", "--account", Long.toString(account), "--class", "whatsapp")
                .refused(1, "class (--class) must be instagram or messenger", "'whatsapp'");
        try (Stores s = stores()) {
            assertThat(s.lines().list(Optional.empty())).isEmpty();
        }
    }

    @Test
    void lineCreateForAnUnknownAccountIsRefused() {
        run("line", "create", "--account", "77", "--class", "instagram", "--page-token", PAT)
                .refused(1, "account 77 does not exist");
    }

    @Test
    void lineCreateWithoutAClassIsBadUsage() {
        run("line", "create", "--account", "1").refused(2, "--class");
    }

    @Test
    void lineCreateWithANonNumericAccountIsBadUsage() {
        run("line", "create", "--account", "acme", "--class", "instagram").refused(2, "'acme'");
    }

    @Test
    void lineCreateOnAnInstagramIdThatAnotherActiveLineHoldsIsRefusedAndSaysWhichLine() {
        long acme = createAccount("Acme");
        long other = createAccount("Other");
        long first = createInstagramLine(acme, PAT);

        run("line", "create", "--account", Long.toString(other), "--class", "instagram", "--page-token", PAT2,
                "--ig-account-id", IG)
                .refused(1, "Instagram account " + IG, "already belongs to active line " + first,
                        "'linegate line update " + first + " --active false'", "--inactive");
        long parked = run("line", "create", "--account", Long.toString(other), "--class", "instagram",
                "--ig-account-id", IG, "--inactive").ok().single().get("id").asLong();
        run("line", "update", Long.toString(parked), "--active", "true")
                .refused(1, "already belongs to active line " + first);
        run("line", "create", "--account", Long.toString(acme), "--class", "messenger", "--page-id", PAGE).ok();
        run("line", "create", "--account", Long.toString(other), "--class", "messenger", "--page-id", PAGE)
                .refused(1, "Facebook Page " + PAGE + " (--page-id) already belongs to active line");
        assertThat(run("line", "list", "--account", Long.toString(other)).ok().json())
                .extracting(n -> n.get("active").asBoolean()).containsExactly(false);
    }

    @Test
    void lineCreateWithANonNumericMetaIdIsRefused() {
        long account = createAccount("Acme");

        run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--ig-account-id", "@acme")
                .refused(1, "--ig-account-id", "digits");
    }

    @Test
    void aPageTokenWithSpacesIsRefusedWithoutEchoingIt() {
        long account = createAccount("Acme");

        Run r = run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--page-token",
                "EAAG secret with spaces");

        r.refused(1, "--page-token");
        assertThat(r.err()).doesNotContain("secret with spaces");
    }

    @Test
    void aLineHasItsOwnSendBudgetWhenGivenOneAndGoesBackToTheDefault() {
        long account = createAccount("Acme");
        long id = run("line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--ig-account-id", IG, "--sends-per-second", "20").ok().single().get("id").asLong();
        try (Stores s = stores()) {
            assertThat(s.lines().find(id).orElseThrow().sendsPerSecond()).hasValue(20);
        }
        assertThat(run("line", "list").ok().single().get("sends_per_second").asInt()).isEqualTo(20);

        JsonNode updated = run("line", "update", Long.toString(id), "--sends-per-second", "300").ok().single();
        assertThat(updated.get("sends_per_second").asInt()).isEqualTo(300);
        JsonNode back = run("line", "update", Long.toString(id), "--sends-per-second", "default").ok().single();
        assertThat(back.get("sends_per_second").asText()).isEqualTo("default");
        try (Stores s = stores()) {
            assertThat(s.lines().find(id).orElseThrow().sendsPerSecond()).isEmpty();
        }
        for (String bad : new String[]{"0", "100001", "fast", "-1", "2.5", "9".repeat(40)}) {
            run("line", "update", Long.toString(id), "--sends-per-second", bad).refused(1, "--sends-per-second");
        }
        run("line", "create", "--account", Long.toString(account), "--class", "instagram", "--ig-account-id", IG + "9",
                "--sends-per-second", "default").refused(1, "--sends-per-second");
    }

    // ---- line update

    @Test
    void lineUpdatePrintsTheLineAsJsonWithTheTokenMasked() {
        long account = createAccount("Acme");
        long id = createInstagramLine(account, PAT);

        Run r = run("line", "update", Long.toString(id), "--active", "false", "--human-agent", "true").ok();

        JsonNode line = r.single();
        assertThat(fields(line)).containsExactly("id", "account_id", "class", "login", "active", "page_id",
                "ig_account_id", "page_token", "human_agent", "sends_per_second", "health", "health_reason",
                "token_expires_at", "created_at", "updated_at");
        assertThat(line.get("health").asText()).as("no answer from Meta yet").isEqualTo("unknown");
        assertThat(line.get("health_reason").isNull()).isTrue();
        assertThat(line.get("id").asLong()).isEqualTo(id);
        assertThat(line.get("account_id").asLong()).isEqualTo(account);
        assertThat(line.get("class").asText()).isEqualTo("instagram");
        assertThat(line.get("active").isBoolean()).isTrue();
        assertThat(line.get("active").asBoolean()).isFalse();
        assertThat(line.get("human_agent").asBoolean()).isTrue();
        assertThat(line.get("page_id").isNull()).isTrue();
        assertThat(line.get("ig_account_id").asText()).isEqualTo(IG);
        assertThat(line.get("page_token").asText()).isEqualTo("****QRST");
        assertThat(r.out()).doesNotContain(PAT).doesNotContain(PAT.substring(0, 20));
        Instant created = Instant.parse(line.get("created_at").asText());
        Instant updated = Instant.parse(line.get("updated_at").asText());
        assertThat(updated).isAfterOrEqualTo(created);
        assertThat(created).isBetween(Instant.now().minusSeconds(60), Instant.now());
        try (Stores s = stores()) {
            Line stored = s.lines().find(id).orElseThrow();
            assertThat(stored.active()).isFalse();
            assertThat(stored.humanAgent()).isTrue();
            assertThat(stored.pageToken().map(PageAccessToken::reveal)).as("kept").contains(PAT);
        }
    }

    @Test
    void lineUpdateReplacesTheTokenFromStandardInput() {
        long account = createAccount("Acme");
        long id = createInstagramLine(account, PAT);

        Run r = runWithStdin("  " + PAT2 + "  \n", "line", "update", Long.toString(id), "--page-token", "-").ok();

        assertThat(r.single().get("page_token").asText()).isEqualTo("****UVWX");
        assertThat(r.single().get("active").asBoolean()).isTrue();
        assertThat(r.out()).doesNotContain(PAT2);
        try (Stores s = stores()) {
            assertThat(s.lines().find(id).orElseThrow().pageToken().map(PageAccessToken::reveal)).contains(PAT2);
        }
    }

    @Test
    void lineUpdateCanReactivateALine() {
        long account = createAccount("Acme");
        long id = run("line", "create", "--account", Long.toString(account), "--class", "messenger", "--inactive")
                .ok().single().get("id").asLong();

        JsonNode line = run("line", "update", Long.toString(id), "--active", "true").ok().single();

        assertThat(line.get("active").asBoolean()).isTrue();
        assertThat(line.get("class").asText()).isEqualTo("messenger");
        assertThat(line.get("page_token").isNull()).as("no token").isTrue();
    }

    @Test
    void lineUpdateWithNothingToChangeIsRefused() {
        long account = createAccount("Acme");
        long id = createInstagramLine(account, PAT);

        run("line", "update", Long.toString(id)).refused(1, "nothing to change");
    }

    @Test
    void lineUpdateOfAnUnknownLineIsRefused() {
        run("line", "update", "31337", "--active", "false").refused(1, "line 31337 does not exist");
    }

    @Test
    void lineUpdateWithANonBooleanIsBadUsage() {
        long account = createAccount("Acme");
        long id = createInstagramLine(account, PAT);

        run("line", "update", Long.toString(id), "--active", "maybe").refused(2, "--active", "'maybe'");
    }

    @Test
    void lineUpdateWithANonNumericIdIsBadUsage() {
        run("line", "update", "first", "--active", "false").refused(2, "'first'");
    }

    // ---- line list

    @Test
    void lineListPrintsOneMaskedJsonObjectALineOptionallyForOneAccount() {
        long acme = createAccount("Acme");
        long other = createAccount("Other");
        long a1 = createInstagramLine(acme, PAT);
        long o1 = createInstagramLine(other, PAT2);
        long a2 = run("line", "create", "--account", Long.toString(acme), "--class", "messenger", "--page-id", PAGE)
                .ok().single().get("id").asLong();

        Run all = run("line", "list").ok();
        assertThat(all.json()).extracting(n -> n.get("id").asLong()).containsExactly(a1, o1, a2);
        assertThat(all.json()).extracting(n -> n.get("page_token").isNull() ? null : n.get("page_token").asText())
                .containsExactly("****QRST", "****UVWX", null);
        assertThat(all.json()).allSatisfy(n -> assertThat(fields(n)).containsExactly("id", "account_id", "class", "login", "active",
                "page_id", "ig_account_id", "page_token", "human_agent", "sends_per_second", "health", "health_reason",
                "token_expires_at", "created_at", "updated_at"));
        assertThat(all.out()).doesNotContain(PAT).doesNotContain(PAT2);
        assertThat(all.out().lines()).hasSize(3);

        assertThat(run("line", "list", "--account", Long.toString(acme)).ok().json())
                .extracting(n -> n.get("id").asLong()).containsExactly(a1, a2);
        assertThat(run("line", "list", "--account", Long.toString(other)).ok().json())
                .singleElement().satisfies(n -> assertThat(n.get("account_id").asLong()).isEqualTo(other));
    }

    @Test
    void lineListOfAnEmptyDatabasePrintsNothing() {
        assertThat(run("line", "list").ok().out()).isEmpty();
    }

    @Test
    void lineListUnderAnotherMasterKeyShowsTheTokenAsUnreadable() {
        long account = createAccount("Acme");
        long id = createInstagramLine(account, PAT);
        Map<String, String> otherKey = new HashMap<>(env);
        otherKey.put("LINEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));

        JsonNode line = run(otherKey, "line", "list").ok().single();

        assertThat(line.get("id").asLong()).isEqualTo(id);
        assertThat(line.get("page_token").asText()).isEqualTo("unreadable");
    }

    // ---- log list

    @Test
    void logListPrintsTheNewestFirstOneJsonObjectALine() {
        long acme = createAccount("Acme");
        long other = createAccount("Other");
        long acmeLine = createInstagramLine(acme, PAT);
        long otherLine = createInstagramLine(other, PAT2);
        long t0 = Instant.parse("2026-11-25T10:15:30.123Z").toEpochMilli();
        List<Long> ids = new ArrayList<>();
        try (Stores s = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(env.get("LINEGATE_MASTER_KEY")), Clock.fixed(Instant.ofEpochMilli(t0), ZoneOffset.UTC))) {
            for (int i = 0; i < 3; i++) {
                ids.add(s.log().append(new NewLogEntry(acme, acmeLine, LineClass.INSTAGRAM, "1254477777772919", "text",
                        "hello " + i, Optional.of("crm-" + i), Optional.empty(), Optional.empty(), t0 + i)).cdlsId());
                ids.add(s.log().append(new NewLogEntry(other, otherLine, LineClass.INSTAGRAM, "99", "text", "x",
                        Optional.empty(), Optional.empty(), Optional.empty(), t0 + i)).cdlsId());
            }
            s.log().finish(ids.get(4), new LogOutcome.Sent("mid.ABC", t0 + 900));
            s.log().finish(ids.get(2), new LogOutcome.Failed(new LoggedError(242, "No matching user", null, 100, 2018001,
                    "OAuthException", "No matching user found", "Fb1"), t0 + 950));
        }

        List<JsonNode> all = run("log", "list").ok().json();
        assertThat(all).extracting(n -> n.get("cdls_id").asLong()).containsExactlyElementsOf(ids.reversed());
        JsonNode newestAcme = all.get(1);
        assertThat(fields(newestAcme)).containsExactly("cdls_id", "msg_id", "account_id", "app_id", "channel", "direction",
                "origin", "dest", "mtype", "mdata", "tag", "state", "messageId", "error", "created_at", "sent_at",
                "delivered_at", "read_at", "deleted_at");
        assertThat(newestAcme.get("cdls_id").asLong()).isEqualTo(ids.get(4));
        assertThat(newestAcme.get("msg_id").asText()).isEqualTo("crm-2");
        assertThat(newestAcme.get("account_id").asLong()).isEqualTo(acme);
        assertThat(newestAcme.get("app_id").asLong()).isEqualTo(acmeLine);
        assertThat(newestAcme.get("channel").asText()).isEqualTo("instagram");
        assertThat(newestAcme.get("direction").asText()).isEqualTo("out");
        assertThat(newestAcme.get("dest").asText()).isEqualTo("1254477777772919");
        assertThat(newestAcme.get("state").asText()).isEqualTo("sent");
        assertThat(newestAcme.get("messageId").asText()).isEqualTo("mid.ABC");
        assertThat(newestAcme.get("error").isNull()).isTrue();
        assertThat(newestAcme.get("created_at").asText()).isEqualTo("2026-11-25T10:15:30.125Z");
        assertThat(newestAcme.get("sent_at").asText()).isEqualTo("2026-11-25T10:15:31.023Z");
        assertThat(newestAcme.get("read_at").isNull()).isTrue();
        JsonNode failed = all.get(3);
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("error").get("status_code").asInt()).isEqualTo(242);
        assertThat(failed.get("error").get("meta_error").get("subcode").asInt()).isEqualTo(2018001);
        assertThat(failed.get("error").get("meta_error").get("fbtrace_id").asText()).isEqualTo("Fb1");

        assertThat(run("log", "list", "--account", Long.toString(acme)).ok().json())
                .extracting(n -> n.get("cdls_id").asLong()).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(run("log", "list", "--account", Long.toString(acme), "--limit", "2").ok().json())
                .extracting(n -> n.get("cdls_id").asLong()).containsExactly(ids.get(4), ids.get(2));
        assertThat(run("log", "list", "--limit", "1").ok().json())
                .extracting(n -> n.get("cdls_id").asLong()).containsExactly(ids.get(5));
    }

    @Test
    void logListShowsAtMostFiftyByDefault() {
        long account = createAccount("Acme");
        long line = createInstagramLine(account, PAT);
        try (Stores s = stores()) {
            for (int i = 0; i < 55; i++) {
                s.log().append(new NewLogEntry(account, line, LineClass.INSTAGRAM, "1", "text", "m" + i, Optional.empty(),
                        Optional.empty(), Optional.empty(), i)).cdlsId();
            }
        }

        assertThat(run("log", "list").ok().json()).hasSize(50);
    }

    @Test
    void logListOfAnEmptyLogPrintsNothing() {
        assertThat(run("log", "list").ok().out()).isEmpty();
    }

    @Test
    void listsWithALimitOutOfRangeAreRefusedWithOneWording() {
        run("log", "list", "--limit", "0").refused(1, "limit (--limit) must be from 1 to 10000", "got 0");
        run("log", "list", "--limit", "10001").refused(1, "--limit");
        run("log", "list", "--limit", "-3").refused(1, "--limit");
        // the same check in linegate.operators for every list, one wording; the queue's list keeps its own bound
        run("events", "list", "--limit", "0").refused(1, "limit (--limit) must be from 1 to 10000", "got 0");
        run("events", "list", "--limit", "10001").refused(1, "limit (--limit) must be from 1 to 10000", "got 10001");
        run("queue", "list", "--limit", "0").refused(1, "limit (--limit) must be from 1 to 100000", "got 0");
    }

    @Test
    void logListWithANonNumericLimitIsBadUsage() {
        run("log", "list", "--limit", "ten").refused(2, "--limit", "'ten'");
    }

    // ---- configuration and usage

    @Test
    void aBadPortStopsEveryCommandWithOneLineNamingTheVariable() {
        env.put("LINEGATE_PORT", "abc");

        run("account", "create", "--name", "Acme").refused(1, "LINEGATE_PORT", "'abc'");
        env.put("LINEGATE_PORT", "70000");
        run("line", "list").refused(1, "LINEGATE_PORT", "65535");
    }

    @Test
    void aBadDatabaseUrlStopsTheCommandWithOneLine() {
        env.put("LINEGATE_DB_URL", "mysql://x");

        run("log", "list").refused(1, "LINEGATE_DB_URL", "jdbc:sqlite:");
    }

    @Test
    void serveWithBadConfigurationStopsWithOneLineBeforeStarting() {
        env.put("LINEGATE_PORT", "70000");

        Run r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run("serve"));

        r.refused(1, "LINEGATE_PORT must be a whole number from 0 to 65535", "'70000'");
    }

    @Test
    void postgresqlWithoutAMasterKeyStopsWithOneLineSayingHowToMakeOne() {
        Map<String, String> pg = Map.of("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/linegate");

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(pg, "serve"))
                .refused(1, "LINEGATE_MASTER_KEY is required", "openssl rand -base64 32");
        run(pg, "line", "list").refused(1, "LINEGATE_MASTER_KEY is required");
    }

    @Test
    void anUnreachableDatabaseStopsTheCommandWithOneLineNamingTheSettings() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        env.put("LINEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/linegate");

        run("account", "create", "--name", "Acme").refused(1, "cannot connect to the database", "LINEGATE_DB_URL");
    }

    @Test
    void anUnknownCommandIsBadUsageWithASuggestion() {
        run("acount", "create", "--name", "Acme").refused(2, "'acount'", "account");
    }

    @Test
    void noCommandIsBadUsage() {
        run().refused(2, "linegate --help");
        run("line").refused(2, "linegate line --help");
    }

    @Test
    void helpListsTheCommandsOnStdout() {
        Run r = run("--help");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("account").contains("token").contains("line").contains("log").contains("serve");
        assertThat(r.err()).isEmpty();
    }
}
