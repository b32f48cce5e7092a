package org.valueimprint.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link Transcripts#parse(String)}: both renderings, every rule of its Javadoc, and round trips. */
class TranscriptsTest {
    private static final List<String> ROLE_NAMES = List.of("Human", "Assistant", "System");

    @Test
    void readsTheHhRlhfRendering() {
        assertThat(Transcripts.parse("\n\nHuman: Hi there\n\nAssistant: Hello!\n\nHuman: Bye"))
                .isEqualTo(Conversation.of(Turn.user("Hi there"), Turn.assistant("Hello!"), Turn.user("Bye")));
    }

    @Test
    void readsTheCorpusRendering() {
        Conversation c = Conversation.of(Turn.system("Be brief."), Turn.user("Hi"), Turn.assistant("Hello"));
        assertThat(c.render()).isEqualTo("System: Be brief.\n\nHuman: Hi\n\nAssistant: Hello");
        assertThat(Transcripts.parse(c.render())).isEqualTo(c);
    }

    @Test
    void keepsTextExactlyAfterTheOneSpaceOfTheMarker() {
        assertThat(Transcripts.parse("\n\nHuman:  two spaces \n\nAssistant:\tx\n\nHuman:no space"))
                .isEqualTo(Conversation.of(Turn.user(" two spaces "), Turn.assistant("\tx"), Turn.user("no space")));
    }

    @Test
    void keepsSingleNewlinesExtraBlankLinesAndRoleWordsMidLineInTheText() {
        String text = "line 1\nline 2\n\nparagraph.  Human: not a marker\nAssistant: nor this\n\nHumans: nor this\n\n";
        assertThat(Transcripts.parse("\n\nHuman: " + text + "\n\nAssistant: ok"))
                .isEqualTo(Conversation.of(Turn.user(text), Turn.assistant("ok")));
    }

    @Test
    void markersAreCaseSensitive() {
        assertThat(Transcripts.parse("Human: a\n\nhuman: b\n\nASSISTANT: c"))
                .isEqualTo(Conversation.of(Turn.user("a\n\nhuman: b\n\nASSISTANT: c")));
    }

    @Test
    void keepsMarkersThatDoNotAlternateAsTheyCome() {
        assertThat(Transcripts.parse("\n\nHuman: q\n\nAssistant: Umm. Just a second...\n\nAssistant: $50\n\nHuman: a"
                + "\n\nHuman: b"))
                .isEqualTo(Conversation.of(Turn.user("q"), Turn.assistant("Umm. Just a second..."),
                        Turn.assistant("$50"), Turn.user("a"), Turn.user("b")));
    }

    @Test
    void dropsBlankTextBeforeTheFirstMarker() {
        assertThat(Transcripts.parse(" \n \n\nHuman: x")).isEqualTo(Conversation.user("x"));
    }

    @Test
    void readsOtherTextBeforeTheFirstMarkerAsASystemTurn() {
        assertThat(Transcripts.parse("You are kind.\n\nHuman: x\n\nAssistant: y"))
                .isEqualTo(Conversation.of(Turn.system("You are kind."), Turn.user("x"), Turn.assistant("y")));
    }

    @Test
    void readsTextWithNoMarkerAsOneUserTurn() {
        assertThat(Transcripts.parse("What is 2+2?\nHuman: (not a marker)"))
                .isEqualTo(Conversation.user("What is 2+2?\nHuman: (not a marker)"));
        assertThat(Transcripts.parse("")).isEqualTo(Conversation.empty());
        assertThat(Transcripts.parse(" \n\n\t")).isEqualTo(Conversation.empty());
    }

    @Test
    void dropsTheStrayBareRoleNameBeforeAMarker() {
        // helpful-base/test.jsonl.gz, line 4, as in the data
        String raw = "\n\nHuman: what do i do if i stepped in dog poo?\n\nAssistant: I’m sorry to hear you stepped in dog"
                + " poo. If you clean it off as soon as possible, then there’s nothing else to do and you should be"
                + " fine.\n\nHuman\n\nHuman: how do i clean it? i'm scared of germs.\n\nAssistant: If you can run a";
        Conversation c = Transcripts.parse(raw);
        assertThat(c.turns()).extracting(Turn::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(c.turns().get(1).text()).endsWith("you should be fine.");
        assertThat(c.turns().get(2).text()).isEqualTo("how do i clean it? i'm scared of germs.");
    }

    @Test
    void dropsRepeatedStrayRoleNamesAndOneAtTheStart() {
        assertThat(Transcripts.parse("Human\n\nHuman: a\n\nAssistant: b\n\nHuman\n\nAssistant\n\nHuman: c"))
                .isEqualTo(Conversation.of(Turn.user("a"), Turn.assistant("b"), Turn.user("c")));
    }

    @Test
    void dropsACutOffRoleNameAtTheEnd() {
        assertThat(Transcripts.parse("\n\nHuman: a\n\nAssistant: b, I think.\n\nHuman"))
                .isEqualTo(Conversation.of(Turn.user("a"), Turn.assistant("b, I think.")));
    }

    @Test
    void keepsARoleNameThatIsNotInAMarkersPlace() {
        assertThat(Transcripts.parse("Human: Human\n\nAssistant: SuperHuman\n\nHuman: I am not a\nHuman"))
                .isEqualTo(Conversation.of(Turn.user("Human"), Turn.assistant("SuperHuman"),
                        Turn.user("I am not a\nHuman")));
    }

    @Test
    void aFinalMarkerWithNothingAfterItIsACueNotATurn() {
        assertThat(Transcripts.parse("\n\nHuman: Hi\n\nAssistant:")).isEqualTo(Conversation.user("Hi"));
        // with its space it is an empty turn, as Conversation.render() writes one
        assertThat(Transcripts.parse("\n\nHuman: Hi\n\nAssistant: "))
                .isEqualTo(Conversation.of(Turn.user("Hi"), Turn.assistant("")));
        // an empty turn in the middle is kept with or without the space
        assertThat(Transcripts.parse("Human:\n\nAssistant: x"))
                .isEqualTo(Conversation.of(Turn.user(""), Turn.assistant("x")));
    }

    @Test
    void aBlankLineOfMoreThanTwoNewlinesLeavesTheExtraNewlinesInTheText() {
        assertThat(Transcripts.parse("Human: formula:\n\n\n\nAssistant: x"))
                .isEqualTo(Conversation.of(Turn.user("formula:\n\n"), Turn.assistant("x")));
    }

    /** Round trip: the corpus rendering of any conversation whose texts hold no marker reads back unchanged. */
    @Property(tries = 1000)
    void parseReadsBackWhatRenderWrites(@ForAll("conversations") Conversation c) {
        assertThat(Transcripts.parse(c.render())).isEqualTo(c);
    }

    /** Round trip of the hh-rlhf rendering: a blank line before the first marker changes nothing. */
    @Property(tries = 300)
    void theHhRlhfRenderingReadsTheSame(@ForAll("conversations") Conversation c) {
        assertThat(Transcripts.parse("\n\n" + c.render())).isEqualTo(c);
    }

    @Property(tries = 1000)
    void neverThrowsAndParsingARenderedParseChangesNothing(@ForAll("transcriptLike") String s) {
        Conversation c = Transcripts.parse(s);
        assertThat(Transcripts.parse(c.render())).isEqualTo(c);
    }

    @Property(tries = 1000)
    void neverThrowsOnAnyString(@ForAll String s) {
        Conversation c = Transcripts.parse(s);
        assertThat(Transcripts.parse(c.render())).isEqualTo(c);
    }

    @Provide
    Arbitrary<Conversation> conversations() {
        Arbitrary<Turn> turn = Combinators.combine(Arbitraries.of(Role.class), texts().filter(TranscriptsTest::safe))
                .as(Turn::new);
        return turn.list().ofMaxSize(8).map(Conversation::new);
    }

    @Provide
    Arbitrary<String> transcriptLike() {
        return Arbitraries.oneOf(texts(), Arbitraries.strings().withChars("\n :HumanAssistSy").ofMaxLength(40));
    }

    /** Texts built from pieces that come close to markers: unicode, newlines, blank lines, colons, role words. */
    private static Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("\n", "\n\n", "\n\n\n", ":", ": ", " ", "  ", "\t", "\r\n", "é", "日本語", "🙂",
                        "Human", "Assistant", "System", "Human: ", "Assistant:", " Human: ", "Humans:", "human:",
                        "\nHuman: ", "SuperHuman", "Assistant\n"));
        return piece.list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    /** Whether a text holds no blank-line-then-marker and does not end in a blank line and a bare role name. */
    private static boolean safe(String text) {
        for (String name : ROLE_NAMES) {
            if (text.contains("\n\n" + name + ":") || text.endsWith("\n\n" + name)) {
                return false;
            }
        }
        return true;
    }
}
