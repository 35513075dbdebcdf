<?php
/**
 * Speech_Text: Markdown removed, sentence boundaries, pieces within the input limit.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Voice;

use VoiceVisionChat\Tests\Support\TestCase;
use VoiceVisionChat\Voice\Speech_Text;

/**
 * Text prepared for speech.
 */
final class SpeechTextTest extends TestCase {

	public function test_markdown_is_removed_but_the_words_stay(): void {
		$markdown = "## Opening hours\n\nWe open at **nine** and close at _five_.\n\n- Monday to Friday\n- See [our page](https://example.com/hours) or https://example.com\n\n```php\necho 'code';\n```\n\n> Quote *here*.\n\n| Day | Time |\n|---|---|\n| Sat | 10 |";
		$plain    = Speech_Text::plain( $markdown );
		$this->assertSame( "Opening hours\nWe open at nine and close at _five_.\nMonday to Friday\nSee our page or example.com\nQuote here.\nDay , Time ,\nSat , 10 ,", $plain );
		$this->assertStringNotContainsString( 'echo', $plain, 'code is not read aloud' );
		$this->assertSame( 'Hi there', Speech_Text::plain( '<em>Hi</em> there' ) );
	}

	public function test_the_first_sentence_ends_at_a_mark_followed_by_space_after_a_useful_length(): void {
		$this->assertNull( Speech_Text::first_sentence_end( 'Yes. We are open today' ), 'too short to be worth a request of its own' );
		$text = 'Yes, we are open on Saturday. From ten to four';
		$end  = Speech_Text::first_sentence_end( $text );
		$this->assertSame( 'Yes, we are open on Saturday.', substr( $text, 0, (int) $end ) );
		$this->assertNull( Speech_Text::first_sentence_end( 'The price went up by 3.5 percent' ), 'a decimal point is no sentence end' );
		$this->assertNull( Speech_Text::first_sentence_end( 'Our opening hours are shown below.' ), 'not complete until something follows' );
		$text = "Our opening hours are listed here: Mon\n\nmore";
		$this->assertSame( 'Our opening hours are listed here:', substr( $text, 0, (int) Speech_Text::first_sentence_end( $text ) ), 'a colon before more text is a pause worth cutting at' );
		$text = "A heading without any mark\n\nThen the rest";
		$this->assertSame( "A heading without any mark\n\n", substr( $text, 0, (int) Speech_Text::first_sentence_end( $text ) ), 'so is a paragraph break' );
	}

	public function test_long_text_is_split_at_sentence_ends_within_the_limit(): void {
		$sentence = 'This sentence is exactly fifty characters long ok. ';
		$text     = str_repeat( $sentence, 200 ); // 10 000 characters.
		$pieces   = Speech_Text::pieces( $text );
		$this->assertCount( 3, $pieces );
		foreach ( $pieces as $piece ) {
			$this->assertLessThanOrEqual( Speech_Text::MAX_INPUT_CHARS, mb_strlen( $piece ) );
			$this->assertStringEndsWith( 'ok.', $piece );
		}
		$this->assertSame( trim( $text ), implode( ' ', $pieces ) );

		$words = Speech_Text::pieces( str_repeat( 'word ', 30 ), 40 );
		$this->assertSame( 'word word word word word word word word', $words[0] ); // 39 characters: cut at the last space within 40.
		$this->assertSame( array( str_repeat( 'x', 10 ), str_repeat( 'x', 10 ), 'xxx' ), Speech_Text::pieces( str_repeat( 'x', 23 ), 10 ) );
		$this->assertSame( array(), Speech_Text::pieces( "  \n " ) );
	}

	public function test_the_label_is_translatable_text(): void {
		$this->assertSame( 'AI-generated voice', Speech_Text::ai_voice_label() );
	}
}
