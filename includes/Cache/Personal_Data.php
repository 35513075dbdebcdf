<?php
/**
 * Finds e-mail addresses, phone numbers and order or reference numbers in text.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cache;

defined( 'ABSPATH' ) || exit;

/**
 * Pattern checks that keep a visitor's personal details out of the FAQ cache.
 *
 * Deliberately eager: a false alarm only means one question is answered by the model
 * instead of the cache, while a miss would keep (and count, and show the admin) someone's
 * details. What counts:
 * - e-mail addresses (anything@domain.tld);
 * - phone numbers: 7 to 15 digits, optionally after + or 00, separated by at most two of
 *   space . - / ( ) at a time (so "+49 (0)30 1234-5678" and "555.123.4567", but not the price
 *   "1,299.00" or a year);
 * - order and reference numbers: "#" followed by 3+ digits; a word such as order, invoice,
 *   tracking, Bestellung, commande, pedido or 订单 followed within 25 characters by a number
 *   of 3+ digits; any word of 5+ digits, or of 4+ digits mixed with letters ("A1234", "WC-10234").
 */
final class Personal_Data {

	/**
	 * Words that introduce an order, invoice or tracking number, in the supported languages.
	 */
	private const ORDER_WORDS = 'order|invoice|tracking|ticket|booking|reservation|account|customer|bestell\w*|auftrag\w*|rechnung\w*|sendung\w*|kunden\w*|commande|facture|suivi|pedido|factura|seguimiento|orden|reserva|订单|訂單|发票|運單|运单|注文';

	/**
	 * Whether the text contains an e-mail address, a phone number or an order number.
	 *
	 * @param string $text Text to check.
	 */
	public function found_in( string $text ): bool {
		return array() !== $this->values( $text );
	}

	/**
	 * The personal values found, normalized for comparison (e-mails lower-case, numbers as digits).
	 *
	 * @param string $text Text to check.
	 * @return list<string>
	 */
	public function values( string $text ): array {
		if ( class_exists( \Normalizer::class ) ) {
			// Full-width digits and ＠ are the same characters to a reader.
			$text = (string) \Normalizer::normalize( mb_scrub( $text, 'UTF-8' ), \Normalizer::FORM_KC );
		}
		$found = array();

		if ( preg_match_all( '/[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}/u', $text, $matches ) ) {
			foreach ( $matches[0] as $email ) {
				$found[] = mb_strtolower( $email );
			}
			// An address's digits are not a second finding.
			$text = (string) preg_replace( '/\S+@\S+/u', ' ', $text );
		}

		$patterns = array(
			// Phone numbers.
			'/(?<![\p{L}\p{N}])(?:\+|00)?\d(?:[ .\-\/()]{0,2}\d){6,14}(?![\p{L}\p{N}])/u',
			// "#12345".
			'/#\s?\d{3,}/u',
			// A number after an order word.
			'/(?:' . self::ORDER_WORDS . ')\D{0,25}?(\d[\d\-]{2,})/iu',
		);
		foreach ( $patterns as $pattern ) {
			if ( preg_match_all( $pattern, $text, $matches ) ) {
				foreach ( $matches[0] as $value ) {
					$found[] = (string) preg_replace( '/\D+/', '', $value );
				}
			}
		}

		// Reference-like words: 5+ digits, or 4+ digits mixed with letters or dashes ("A1234",
		// "WC-10234"); "2025" or "1,299.00" are not.
		foreach ( (array) preg_split( '/[^\p{L}\p{N}\-_]+/u', $text, -1, PREG_SPLIT_NO_EMPTY ) as $word ) {
			$digits = (string) preg_replace( '/\D+/', '', (string) $word );
			if ( strlen( $digits ) >= 5 || ( strlen( $digits ) >= 4 && strlen( $digits ) < strlen( (string) $word ) ) ) {
				$found[] = $digits;
			}
		}
		return array_values( array_unique( $found ) );
	}

	/**
	 * Whether an answer repeats a personal value from the question (it is then about that visitor).
	 *
	 * @param string $question The visitor's question.
	 * @param string $answer   The answer.
	 */
	public function echoed( string $question, string $answer ): bool {
		$asked = $this->values( $question );
		if ( ! $asked ) {
			return false;
		}
		$answer_values = $this->values( $answer );
		$answer_digits = (string) preg_replace( '/\D+/', '', $answer );
		foreach ( $asked as $value ) {
			if ( in_array( $value, $answer_values, true ) || ( ctype_digit( $value ) ? str_contains( $answer_digits, $value ) : str_contains( mb_strtolower( $answer ), $value ) ) ) {
				return true;
			}
		}
		return false;
	}
}
