<?php
/**
 * Turns a visitor's question into the text the FAQ cache compares and counts.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * Makes repeats of a question meet: the same question asked with other case, punctuation,
 * width, accents, contractions, politeness or filler words gives the same text.
 *
 * Steps, in order:
 * 1. Unicode NFKC (full-width "ＡＢＣ？" becomes "ABC?"), then case folding (ß becomes ss).
 * 2. Accents on Latin letters removed (plaît = plait), other scripts' marks kept.
 * 3. English contractions expanded ("what's" = "what is", "don't" = "do not"), then every
 *    other apostrophe splits words (French elision: "l'article" = "l article").
 * 4. Punctuation, symbols and white space become word breaks; Han, Hiragana and Katakana
 *    become one token per character (no word splitting needed for CJK).
 * 5. Politeness removed: "please", "bitte", "por favor", "s'il vous plaît", "thanks" and a
 *    few more anywhere; greetings and lead-ins ("hi", "hello", "请问", "你好", "can you tell
 *    me") only at the start or the end, where they cannot be part of the question.
 * 6. Stop words removed: one small list for English, German, French, Spanish and Chinese
 *    (the visitor's language is unknown, so all lists apply). The lists hold articles,
 *    auxiliaries, pronouns and particles only: negations, question words and prepositions
 *    that change an answer ("to", "from", "not", "nicht", "pas") are kept, and so is word
 *    order ("from Canada to France" is not "from France to Canada").
 *
 * The result is lower-case words separated by single spaces, CJK characters joined without
 * spaces: "Hi! What's your return policy, please?" gives "what return policy" and
 * "请问退货政策是什么？" gives "退货政策是什么". Normalizing a result again returns it
 * unchanged, so the normalized text kept in statistics can serve as a curated question.
 * A question made only of filler words keeps them (after politeness) rather than becoming
 * empty; a question made only of politeness becomes "".
 *
 * Without the intl extension, steps 1 and 2 are skipped (case folding still happens), so
 * full-width and accented variants then stay apart; version() differs, so stored indexes
 * built with the other behaviour are rebuilt.
 */
final class Question_Normalizer {

	/**
	 * Revision of these rules; part of every cache key and curated index.
	 */
	private const RULES_VERSION = 1;

	/**
	 * Han, Hiragana and Katakana characters (plus the Katakana long-vowel mark), one token each.
	 */
	private const CJK_CHAR = '[\p{Han}\p{Hiragana}\p{Katakana}\x{30FC}]';

	/**
	 * Phrases removed wherever they appear, as token lists (after steps 1-4).
	 *
	 * @var list<list<string>>
	 */
	private const ANYWHERE = array(
		array( 's', 'il', 'vous', 'plait' ),
		array( 's', 'il', 'te', 'plait' ),
		array( 'por', 'favor' ),
		array( 'thank', 'you' ),
		array( 'vielen', 'dank' ),
		array( 'muchas', 'gracias' ),
		array( 'please' ),
		array( 'pls' ),
		array( 'plz' ),
		array( 'kindly' ),
		array( 'thanks' ),
		array( 'thx' ),
		array( 'bitte' ),
		array( 'danke' ),
		array( 'svp' ),
		array( 'stp' ),
		array( 'merci' ),
		array( 'gracias' ),
	);

	/**
	 * Greetings, thanks and lead-ins removed only at the start or end of a question.
	 *
	 * @var list<list<string>>
	 */
	private const AT_EDGES = array(
		array( 'can', 'you', 'tell', 'me' ),
		array( 'could', 'you', 'tell', 'me' ),
		array( 'i', 'would', 'like', 'to', 'know' ),
		array( 'i', 'want', 'to', 'know' ),
		array( 'konnen', 'sie', 'mir', 'sagen' ),
		array( 'pouvez', 'vous', 'me', 'dire' ),
		array( 'puede', 'decirme' ),
		array( 'good', 'morning' ),
		array( 'good', 'afternoon' ),
		array( 'good', 'evening' ),
		array( 'guten', 'morgen' ),
		array( 'guten', 'tag' ),
		array( 'buenos', 'dias' ),
		array( 'buenas', 'tardes' ),
		array( 'buenas', 'noches' ),
		array( 'hi', 'there' ),
		array( 'hello', 'there' ),
		array( 'hi' ),
		array( 'hello' ),
		array( 'hey' ),
		array( 'hiya' ),
		array( 'greetings' ),
		array( 'hallo' ),
		array( 'moin' ),
		array( 'servus' ),
		array( 'bonjour' ),
		array( 'bonsoir' ),
		array( 'salut' ),
		array( 'coucou' ),
		array( 'hola' ),
		array( 'cheers' ),
		array( '请', '问', '一', '下' ),
		array( '請', '問', '一', '下' ),
		array( '麻', '烦', '问', '一', '下' ),
		array( '请', '问' ),
		array( '請', '問' ),
		array( '你', '好' ),
		array( '您', '好' ),
		array( '谢', '谢' ),
		array( '謝', '謝' ),
		array( '多', '谢' ),
		array( '麻', '烦', '你' ),
		array( '麻', '烦' ),
		array( '请' ),
		array( '請' ),
		array( 'こ', 'ん', 'に', 'ち', 'は' ),
		array( 'す', 'み', 'ま', 'せ', 'ん' ),
		array( '教', 'え', 'て', 'く', 'だ', 'さ', 'い' ),
		array( 'く', 'だ', 'さ', 'い' ),
	);

	/**
	 * Words and characters that carry no meaning of their own in a short question, space
	 * separated, by language.
	 *
	 * @var array<string, string>
	 */
	private const STOP_WORDS = array(
		// English: articles, auxiliaries, polite modals, pronouns.
		'en' => 'a an the is are am was were be been being do does did have has had can could will would may might shall i me my mine you your yours u ur we us our ours it its this that these those there of for and just some any s',
		// German.
		'de' => 'der die das den dem des ein eine einen einem einer eines ist sind bin bist war waren hat haben habe ich du sie er es wir ihr ihre ihren ihrem ihrer ihres euer eure mein meine meinen mir mich uns unser unsere und kann konnen konnten wird werden mal denn doch',
		// French, with the elided forms l' d' qu' c' j' m' t'.
		'fr' => 'le la les l un une des du de d est sont suis et je j tu vous il ils elle elles nous on mon ma mes ton ta tes votre vos notre nos leur leurs ce c cet cette ces qu que se me m te t y ai avez avons ont peux pouvez puis',
		// Spanish.
		'es' => 'el la los las lo un una unos unas de del al es son soy eres esta estan estoy e yo usted ustedes su sus mi mis nuestro nuestra nuestros nuestras vuestro vuestra me te se le les nos que hay puedo puede pueden podria',
		// Chinese particles and pronouns (simplified and traditional), Japanese sentence endings.
		'zh' => '的 了 吗 嗎 呢 吧 啊 呀 嘛 哦 你 您 我 们 們 か ね よ',
	);

	/**
	 * Longest input looked at, in characters; FAQ questions are far shorter.
	 */
	private const MAX_INPUT_CHARS = 2000;

	/**
	 * STOP_WORDS as a set, built once.
	 *
	 * @var array<string, true>|null
	 */
	private ?array $stop_words = null;

	/**
	 * Identifies these rules (and whether intl is present) for keys and stored indexes.
	 */
	public function version(): string {
		return self::RULES_VERSION . ( class_exists( \Normalizer::class ) ? 'i' : 'b' );
	}

	/**
	 * The normalized form of a question.
	 *
	 * @param string $question What the visitor typed or said.
	 * @return string Words separated by single spaces; "" when nothing but politeness is left.
	 */
	public function normalize( string $question ): string {
		$tokens = $this->tokens( $question );
		if ( ! $tokens ) {
			return '';
		}
		$polite_free = $this->strip_politeness( $tokens );
		$meaningful  = $this->strip_politeness( $this->strip_stop_words( $polite_free ) );
		// Only filler words (e.g. "who are you"): keep them rather than match every such question.
		return $this->join( $meaningful ? $meaningful : $polite_free );
	}

	/**
	 * Steps 1-4: the question as a list of tokens.
	 *
	 * @param string $text Raw question.
	 * @return list<string>
	 */
	private function tokens( string $text ): array {
		$text = mb_substr( mb_scrub( $text, 'UTF-8' ), 0, self::MAX_INPUT_CHARS );
		if ( class_exists( \Normalizer::class ) ) {
			$text = (string) \Normalizer::normalize( $text, \Normalizer::FORM_KC );
		}
		$text = mb_convert_case( $text, MB_CASE_FOLD, 'UTF-8' );
		if ( class_exists( \Normalizer::class ) ) {
			$decomposed = (string) \Normalizer::normalize( $text, \Normalizer::FORM_D );
			$text       = (string) \Normalizer::normalize( (string) preg_replace( '/(?<=\p{Latin})\p{Mn}+/u', '', $decomposed ), \Normalizer::FORM_C );
		}

		// Typographic apostrophes and quotes used as apostrophes.
		$text = str_replace( array( "\u{2019}", "\u{2018}", "\u{02BC}", "\u{00B4}", '`' ), "'", $text );
		$text = (string) preg_replace(
			array( "/\\bwon't\\b/u", "/\\bshan't\\b/u", "/\\bcan't\\b/u", "/(?<=\\p{L})n't\\b/u" ),
			array( 'will not', 'shall not', 'can not', ' not' ),
			$text
		);
		$text = (string) preg_replace_callback(
			"/(?<=\\p{L})'(s|re|ve|ll|d|m)\\b/u",
			static function ( array $match ): string {
				$full = array(
					's'  => 'is',
					're' => 'are',
					've' => 'have',
					'll' => 'will',
					'd'  => 'would',
					'm'  => 'am',
				);
				return ' ' . $full[ $match[1] ];
			},
			$text
		);

		// Everything but letters, digits and combining marks separates words; CJK splits by character.
		$text   = (string) preg_replace( '/[^\p{L}\p{N}\p{M}]+/u', ' ', $text );
		$text   = (string) preg_replace( '/(' . self::CJK_CHAR . ')/u', ' $1 ', $text );
		$tokens = preg_split( '/\s+/u', $text, -1, PREG_SPLIT_NO_EMPTY );
		return is_array( $tokens ) ? $tokens : array();
	}

	/**
	 * Step 5: removes politeness, repeatedly, until none is left.
	 *
	 * @param string[] $tokens Tokens.
	 * @return list<string>
	 * @phpstan-param list<string> $tokens
	 */
	private function strip_politeness( array $tokens ): array {
		do {
			$before = $tokens;
			foreach ( self::ANYWHERE as $phrase ) {
				$tokens = $this->remove_phrase( $tokens, $phrase );
			}
			// One edge phrase per round, so the longest match wins after every removal.
			foreach ( self::AT_EDGES as $phrase ) {
				$length = count( $phrase );
				if ( array_slice( $tokens, 0, $length ) === $phrase ) {
					$tokens = array_slice( $tokens, $length );
					break;
				}
				if ( count( $tokens ) >= $length && array_slice( $tokens, -$length ) === $phrase ) {
					$tokens = array_slice( $tokens, 0, -$length );
					break;
				}
			}
		} while ( $tokens !== $before );
		return $tokens;
	}

	/**
	 * Removes every occurrence of a phrase.
	 *
	 * @param string[] $tokens Tokens.
	 * @param string[] $phrase Phrase to remove.
	 * @return list<string>
	 * @phpstan-param list<string> $tokens
	 * @phpstan-param list<string> $phrase
	 */
	private function remove_phrase( array $tokens, array $phrase ): array {
		$length = count( $phrase );
		$out    = array();
		$count  = count( $tokens );
		for ( $i = 0; $i < $count; ) {
			if ( array_slice( $tokens, $i, $length ) === $phrase ) {
				$i += $length;
				continue;
			}
			$out[] = $tokens[ $i ];
			++$i;
		}
		return $out;
	}

	/**
	 * Step 6: removes stop words.
	 *
	 * @param string[] $tokens Tokens.
	 * @return list<string>
	 * @phpstan-param list<string> $tokens
	 */
	private function strip_stop_words( array $tokens ): array {
		if ( null === $this->stop_words ) {
			$this->stop_words = array_fill_keys( explode( ' ', implode( ' ', self::STOP_WORDS ) ), true );
		}
		$stop = $this->stop_words;
		return array_values( array_filter( $tokens, static fn ( string $token ): bool => ! isset( $stop[ $token ] ) ) );
	}

	/**
	 * Joins tokens: a space between words, none between two CJK characters.
	 *
	 * @param string[] $tokens Tokens.
	 * @phpstan-param list<string> $tokens
	 */
	private function join( array $tokens ): string {
		$out      = '';
		$was_cjk  = false;
		$is_first = true;
		foreach ( $tokens as $token ) {
			$is_cjk = 1 === preg_match( '/^' . self::CJK_CHAR . '$/u', $token );
			if ( ! $is_first && ! ( $is_cjk && $was_cjk ) ) {
				$out .= ' ';
			}
			$out     .= $token;
			$was_cjk  = $is_cjk;
			$is_first = false;
		}
		return $out;
	}
}
