<?php
/**
 * Turns the assistant's Markdown reply into text a speech model can read.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

defined( 'ABSPATH' ) || exit;

/**
 * Markdown-free text, sentence boundaries and pieces within the speech endpoint's input limit.
 *
 * Only ever applied to text the model wrote in this request (see Chained_Pipeline): nothing a
 * visitor sent is spoken.
 */
final class Speech_Text {

	/**
	 * Longest `input` of POST /audio/speech, in characters.
	 */
	public const MAX_INPUT_CHARS = 4096;

	/**
	 * Shortest first sentence worth a speech request of its own (shorter ones wait for more).
	 */
	public const MIN_FIRST_SENTENCE_CHARS = 24;

	/**
	 * The label a visitor sees next to a spoken reply: OpenAI's usage policy asks that
	 * listeners be told the voice is AI-generated.
	 */
	public static function ai_voice_label(): string {
		return __( 'AI-generated voice', 'voice-vision-chat' );
	}

	/**
	 * Plain text for speech: no code blocks, link targets, emphasis markers, headings, list
	 * bullets, tables or HTML; URLs without their scheme.
	 *
	 * @param string $markdown The reply as the model wrote it.
	 */
	public static function plain( string $markdown ): string {
		$text = (string) preg_replace( '/^(```|~~~).*?(^\1\s*$|\z)/ms', ' ', $markdown ); // Code is not read aloud.
		$text = (string) preg_replace( '/!\[([^\]]*)\]\([^)]*\)/', '$1', $text );
		$text = (string) preg_replace( '/\[([^\]]+)\]\([^)]*\)/', '$1', $text );
		$text = wp_strip_all_tags( $text );
		$text = (string) preg_replace( '#\bhttps?://#i', '', $text );
		$text = (string) preg_replace( '/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\|)/m', '', $text );
		$text = (string) preg_replace( '/^\s*[-:| ]{3,}\s*$/m', '', $text ); // Table rules.
		$text = str_replace( array( '**', '__', '~~', '`', '|' ), array( '', '', '', '', ', ' ), $text );
		$text = (string) preg_replace( '/(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])/u', '', $text );
		$text = (string) preg_replace( '/[ \t]+/', ' ', $text );
		$text = (string) preg_replace( '/\s*\n\s*/', "\n", $text );
		return trim( $text );
	}

	/**
	 * Where the first complete sentence of a growing reply ends (the offset just after its
	 * punctuation), or null while there is none of a useful length yet.
	 *
	 * A sentence is complete once whitespace follows its end mark, so "3.5" or "e.g." at the
	 * very end of what has arrived so far do not count.
	 *
	 * @param string $text Reply so far.
	 */
	public static function first_sentence_end( string $text ): ?int {
		if ( ! preg_match( '/[.!?…:;](?=["\')\]]*\s)|\n\s*\n/u', $text, $match, PREG_OFFSET_CAPTURE, self::MIN_FIRST_SENTENCE_CHARS ) ) {
			return null;
		}
		return $match[0][1] + strlen( $match[0][0] );
	}

	/**
	 * Splits text into pieces of at most $max characters, at sentence ends where possible,
	 * else at spaces, else anywhere.
	 *
	 * @param string $text Text to split.
	 * @param int    $max  Most characters per piece.
	 * @return list<string> Non-empty pieces, in order.
	 */
	public static function pieces( string $text, int $max = self::MAX_INPUT_CHARS ): array {
		$pieces = array();
		$text   = trim( $text );
		while ( '' !== $text ) {
			if ( mb_strlen( $text ) <= $max ) {
				$pieces[] = $text;
				break;
			}
			$window = mb_substr( $text, 0, $max );
			$cut    = 0;
			if ( preg_match_all( '/[.!?…](?=["\')\]]*\s)|\n/u', $window, $marks, PREG_OFFSET_CAPTURE ) ) {
				$last = end( $marks[0] );
				$cut  = mb_strlen( substr( $window, 0, $last[1] + strlen( $last[0] ) ) );
			}
			if ( $cut < $max / 2 ) {
				$space = mb_strrpos( $window, ' ' );
				$cut   = false !== $space && $space > $max / 2 ? $space : $max;
			}
			$pieces[] = trim( mb_substr( $text, 0, $cut ) );
			$text     = trim( mb_substr( $text, $cut ) );
		}
		return array_values( array_filter( $pieces, static fn ( string $piece ): bool => '' !== $piece ) );
	}
}
