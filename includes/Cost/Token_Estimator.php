<?php
/**
 * Token counts before a call: text, chat overhead, images and audio.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Cost;

defined( 'ABSPATH' ) || exit;

/**
 * Estimates what a request will be billed for, without the tokenizer's 3.6 MB rank table.
 *
 * Text: the input is split exactly as o200k_base splits it before BPE (its pre-tokenizer
 * pattern), and each piece is costed by what it contains: a Latin word is one token up to
 * six letters plus one per further seven; other alphabets split sooner; a run of digits is
 * one token per three; CJK characters cost 0.65 (hanzi, kanji), 0.55 (kana, hangul) each. On
 * 44 English, European and CJK texts counted with js-tiktoken this lands within 10% for
 * English, within about +-21% per CJK text and 1% over all CJK texts together (the rate is
 * right on average, but common
 * Chinese words are single tokens and rare characters are not, which no rate per character
 * can know). Budgets use the worst case with headroom (Cost_Calculator::TEXT_HEADROOM) and
 * settle on the provider's real usage, so the estimate only decides how much to reserve.
 *
 * Chat overhead follows OpenAI's recipe: 3 tokens per message plus its role (plus the name
 * and 1 when named), 3 to prime the reply.
 *
 * Images follow OpenAI's vision guide: the tile rule (gpt-4o, gpt-4.1, gpt-5: base + per
 * 512 px tile after fitting 2048x2048 and shrinking the short side to 768; `low` is the base
 * alone) or the patch rule (-mini/-nano: 32 px patches, at most 1536, times a multiplier).
 * `auto` is counted as `high`: the provider picks per image and high is the upper bound.
 *
 * Audio: about 10 tokens per second in and 20 per second out.
 *
 * @phpstan-import-type Image_Rule from \VoiceVisionChat\Routing\Model_Catalog
 * @phpstan-type Input_Estimate array{text: int, image: int, audio: int}
 */
final class Token_Estimator {

	/**
	 * The pre-tokenizer of o200k_base (tiktoken's pattern for the GPT-4o family, as PCRE).
	 */
	private const PIECES = "/[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n\\/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+/u";

	/**
	 * Tokens per Chinese character (hanzi, kanji).
	 */
	private const HAN_RATE = 0.65;

	/**
	 * Tokens per Japanese kana (common endings merge more than ideographs).
	 */
	private const KANA_RATE = 0.55;

	/**
	 * Tokens per hangul syllable.
	 */
	private const HANGUL_RATE = 0.55;

	/**
	 * Letters a Latin word holds in one token, and letters per further token.
	 */
	private const LATIN_FREE = 6;
	private const LATIN_STEP = 7;

	/**
	 * The same for other alphabets (Cyrillic, Greek, Arabic...), which split sooner.
	 */
	private const OTHER_FREE = 6;
	private const OTHER_STEP = 4;

	/**
	 * Tokens per emoji (most are one or two).
	 */
	private const EMOJI_RATE = 1.5;

	/**
	 * OpenAI's chat overhead: per message, per name, and the reply's priming.
	 */
	public const TOKENS_PER_MESSAGE = 3;
	public const TOKENS_PER_NAME    = 1;
	public const REPLY_PRIMING      = 3;

	/**
	 * Audio tokens per second, in and out (README rule of thumb).
	 */
	public const AUDIO_IN_PER_SECOND  = 10;
	public const AUDIO_OUT_PER_SECOND = 20;

	/**
	 * Assumed bytes per second of compressed audio whose length cannot be read: 32 kbit/s,
	 * below what browsers record speech at, so the estimate errs long.
	 */
	private const COMPRESSED_AUDIO_BYTES_PER_SECOND = 4000;

	/**
	 * Most 32 px patches an image is shrunk to on the patch rule.
	 */
	private const MAX_PATCHES = 1536;

	/**
	 * Estimated o200k tokens of a text.
	 *
	 * @param string $text Any UTF-8 text.
	 */
	public function text( string $text ): int {
		if ( '' === $text ) {
			return 0;
		}
		if ( ! preg_match_all( self::PIECES, $text, $matches ) ) {
			// Invalid UTF-8 makes PCRE give up: fall back to the byte count, an upper bound.
			return strlen( $text );
		}
		$tokens = 0.0;
		foreach ( $matches[0] as $piece ) {
			$tokens += $this->piece( $piece );
		}
		return (int) ceil( $tokens );
	}

	/**
	 * Estimated prompt tokens of a list of chat messages, text parts only (images and audio
	 * parts are counted by chat_input()).
	 *
	 * @param array<mixed> $messages Chat messages: {role, content: string|list<part>, name?}.
	 */
	public function messages( array $messages ): int {
		return $this->chat_input( array( 'messages' => $messages ), array() )['text'];
	}

	/**
	 * Estimated input of a chat completion request body, split by how it is billed.
	 *
	 * @param array<string, mixed> $body       Request body with `messages`.
	 * @param Image_Rule|array{}   $image_rule The model's image rule; none when empty.
	 * @return Input_Estimate
	 */
	public function chat_input( array $body, array $image_rule ): array {
		$text     = self::REPLY_PRIMING;
		$image    = 0;
		$audio    = 0;
		$messages = isset( $body['messages'] ) && is_array( $body['messages'] ) ? $body['messages'] : array();
		foreach ( $messages as $message ) {
			if ( ! is_array( $message ) ) {
				continue;
			}
			$text += self::TOKENS_PER_MESSAGE + $this->text( is_string( $message['role'] ?? null ) ? $message['role'] : '' );
			if ( isset( $message['name'] ) && is_string( $message['name'] ) ) {
				$text += $this->text( $message['name'] ) + self::TOKENS_PER_NAME;
			}
			$content = $message['content'] ?? '';
			if ( is_string( $content ) ) {
				$text += $this->text( $content );
				continue;
			}
			foreach ( is_array( $content ) ? $content : array() as $part ) {
				if ( ! is_array( $part ) ) {
					continue;
				}
				$type = $part['type'] ?? '';
				if ( 'text' === $type && is_string( $part['text'] ?? null ) ) {
					$text += $this->text( $part['text'] );
				} elseif ( 'image_url' === $type && is_array( $part['image_url'] ?? null ) ) {
					$image += $this->image_part( $part['image_url'], $image_rule );
				} elseif ( 'input_audio' === $type && is_array( $part['input_audio'] ?? null ) ) {
					$data   = is_string( $part['input_audio']['data'] ?? null ) ? (string) base64_decode( $part['input_audio']['data'], true ) : ''; // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- decoding the visitor's audio to measure it.
					$audio += $this->audio_in( self::audio_seconds( $data ) );
				}
			}
		}
		return array(
			'text'  => $text,
			'image' => $image,
			'audio' => $audio,
		);
	}

	/**
	 * Tokens for one image on a model's image rule.
	 *
	 * @param Image_Rule|array{} $rule   The model's image rule.
	 * @param int                $width  Width in pixels (0 when unknown: the rule's maximum is used).
	 * @param int                $height Height in pixels (0 when unknown).
	 * @param string             $detail low, high or auto.
	 */
	public function image( array $rule, int $width, int $height, string $detail = 'auto' ): int {
		$kind = $rule['rule'] ?? 'none';
		if ( 'tile' === $kind ) {
			$base = (int) ( $rule['base'] ?? 0 );
			$tile = (int) ( $rule['tile'] ?? 0 );
			if ( 'low' === $detail ) {
				return $base;
			}
			if ( $width <= 0 || $height <= 0 ) {
				// The most tiles an image can keep: 768 x 2048 after both resizes = 2 x 4.
				return $base + 8 * $tile;
			}
			return $base + $tile * self::tiles( $width, $height );
		}
		if ( 'patch' === $kind ) {
			$patches = ( $width <= 0 || $height <= 0 ) ? self::MAX_PATCHES : self::patches( $width, $height );
			return (int) ceil( $patches * (float) ( $rule['multiplier'] ?? 0 ) - 1e-9 );
		}
		return 0;
	}

	/**
	 * Input audio tokens for a duration.
	 *
	 * @param float $seconds Audio length.
	 */
	public function audio_in( float $seconds ): int {
		return (int) ceil( max( 0.0, $seconds ) * self::AUDIO_IN_PER_SECOND );
	}

	/**
	 * Output audio tokens for a duration.
	 *
	 * @param float $seconds Audio length.
	 */
	public function audio_out( float $seconds ): int {
		return (int) ceil( max( 0.0, $seconds ) * self::AUDIO_OUT_PER_SECOND );
	}

	/**
	 * Length of an audio clip in seconds: exact for WAV, an upper bound for compressed audio.
	 *
	 * @param string $bytes The audio file.
	 */
	public static function audio_seconds( string $bytes ): float {
		if ( strlen( $bytes ) >= 44 && 'RIFF' === substr( $bytes, 0, 4 ) && 'WAVE' === substr( $bytes, 8, 4 ) ) {
			$byte_rate = unpack( 'V', substr( $bytes, 28, 4 ) );
			$data_at   = strpos( $bytes, 'data', 12 );
			if ( is_array( $byte_rate ) && $byte_rate[1] > 0 && false !== $data_at ) {
				$size = unpack( 'V', substr( $bytes, $data_at + 4, 4 ) );
				$size = is_array( $size ) ? min( (int) $size[1], strlen( $bytes ) - $data_at - 8 ) : 0;
				return max( 0, $size ) / $byte_rate[1];
			}
		}
		return strlen( $bytes ) / self::COMPRESSED_AUDIO_BYTES_PER_SECOND;
	}

	/**
	 * 512 px tiles after fitting into 2048 x 2048 and shrinking the short side to 768.
	 *
	 * @param int $width  Width in pixels.
	 * @param int $height Height in pixels.
	 */
	private static function tiles( int $width, int $height ): int {
		$w = (float) $width;
		$h = (float) $height;
		if ( $w > 2048 || $h > 2048 ) {
			$scale = 2048 / max( $w, $h );
			$w     = floor( $w * $scale );
			$h     = floor( $h * $scale );
		}
		if ( min( $w, $h ) > 768 ) {
			$scale = 768 / min( $w, $h );
			$w     = floor( $w * $scale );
			$h     = floor( $h * $scale );
		}
		return (int) ( ceil( $w / 512 ) * ceil( $h / 512 ) );
	}

	/**
	 * 32 px patches, the image shrunk to fit 1536 of them as OpenAI's vision guide describes.
	 *
	 * @param int $width  Width in pixels.
	 * @param int $height Height in pixels.
	 */
	private static function patches( int $width, int $height ): int {
		$patches = (int) ( ceil( $width / 32 ) * ceil( $height / 32 ) );
		if ( $patches > self::MAX_PATCHES ) {
			$shrink   = sqrt( ( 32 * 32 * self::MAX_PATCHES ) / ( $width * $height ) );
			$adjusted = $shrink * min(
				floor( $width * $shrink / 32 ) / ( $width * $shrink / 32 ),
				floor( $height * $shrink / 32 ) / ( $height * $shrink / 32 )
			);
			// Whole multiples of 32 in exact arithmetic; the epsilon keeps float noise from
			// adding a row (the guide's 1800 x 2400 example gives 1452).
			$patches = (int) ( ceil( $width * $adjusted / 32 - 1e-9 ) * ceil( $height * $adjusted / 32 - 1e-9 ) );
		}
		return min( $patches, self::MAX_PATCHES );
	}

	/**
	 * Tokens of an image_url part: its size read from a data URL, else the rule's maximum.
	 *
	 * @param array<mixed>       $image_url {url, detail}.
	 * @param Image_Rule|array{} $rule      The model's image rule.
	 */
	private function image_part( array $image_url, array $rule ): int {
		$detail = is_string( $image_url['detail'] ?? null ) ? $image_url['detail'] : 'auto';
		$url    = is_string( $image_url['url'] ?? null ) ? $image_url['url'] : '';
		$width  = 0;
		$height = 0;
		$comma  = strpos( $url, ',' );
		if ( str_starts_with( $url, 'data:' ) && false !== $comma ) {
			$bytes = base64_decode( substr( $url, $comma + 1 ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- decoding the visitor's image to read its size.
			$size  = false === $bytes ? false : getimagesizefromstring( $bytes );
			if ( is_array( $size ) ) {
				$width  = (int) $size[0];
				$height = (int) $size[1];
			}
		}
		return $this->image( $rule, $width, $height, $detail );
	}

	/**
	 * Estimated tokens of one pre-tokenizer piece (fractional; the total is rounded up).
	 *
	 * @param string $piece One match of PIECES.
	 */
	private function piece( string $piece ): float {
		$han    = (int) preg_match_all( '/\p{Han}/u', $piece );
		$kana   = (int) preg_match_all( '/[\p{Hiragana}\p{Katakana}\x{30FC}]/u', $piece );
		$cjk    = $han + $kana;
		$hangul = (int) preg_match_all( '/\p{Hangul}/u', $piece );
		$latin  = (int) preg_match_all( '/\p{Latin}/u', $piece );
		$other  = (int) preg_match_all( '/\p{L}/u', $piece ) - $cjk - $hangul - $latin;

		if ( $cjk + $hangul > 0 ) {
			$tokens = $han * self::HAN_RATE + $kana * self::KANA_RATE + $hangul * self::HANGUL_RATE + ( $latin + $other ) / 4;
			// A piece led by punctuation ("，到") spends a token on it.
			return $tokens + ( $cjk > 0 && preg_match( '/^[^\s\p{L}\p{N}]/u', $piece ) ? 1 : 0 );
		}
		if ( $latin > 0 ) {
			return 1 + max( 0, $latin - self::LATIN_FREE ) / self::LATIN_STEP + $other / 3;
		}
		if ( $other > 0 ) {
			return 1 + max( 0, $other - self::OTHER_FREE ) / self::OTHER_STEP;
		}
		if ( preg_match( '/^\p{N}/u', $piece ) ) {
			return 1; // The pattern caps digit runs at three, one token each.
		}
		$symbols = (int) preg_match_all( '/[^\s\p{L}\p{N}\p{M}]/u', $piece );
		if ( 0 === $symbols ) {
			return 1; // Whitespace and line breaks.
		}
		$emoji = (int) preg_match_all( '/[\x{2600}-\x{27BF}\x{1F000}-\x{1FFFF}]/u', $piece );
		$plain = $symbols - $emoji;
		return $emoji * self::EMOJI_RATE + ( $plain > 0 ? 1 + ( $plain - 1 ) / 3 : 0 );
	}
}
