<?php
/**
 * Decides whether a visitor's upload is a plain still photo the plugin may pass on.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Media;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Real type sniffing of an uploaded image, in memory only.
 *
 * The bytes are checked four ways: the plugin's own walk of the file structure (magic number,
 * chunks or segments up to the end marker, dimensions, frame count), PHP's finfo and
 * getimagesizefromstring() (which must agree), and a scan for markup or PHP hidden in the
 * bytes. Only JPEG, PNG, WebP and single-frame GIF pass; nothing is ever decoded, so a
 * "pixel bomb" costs nothing but its header, and nothing is written to disk: the result is a
 * data URL for the provider.
 *
 * @phpstan-type Image array{data_url: string, mime: string, width: int, height: int, bytes: int}
 * @phpstan-type Structure array{mime: string, width: int, height: int, frames: int, animated: bool, error: string, compressed: list<array{0: int, 1: int}>}
 *
 * @extends Upload_Validator<Image>
 */
final class Image_Validator extends Upload_Validator {

	/**
	 * Markup and PHP that no photo contains, wherever they appear in the bytes.
	 *
	 * A tag name must end where a parser would end it (space, `>` or `/`), which keeps the odds
	 * of a chance match inside compressed pixels negligible without letting a real tag through.
	 */
	private const FORBIDDEN = '/<\?php|<script[\s>\/]|<html[\s>]|<svg[\s>\/]|<!doctype[\s>]|<iframe[\s>\/]|<body[\s>]|<object[\s>\/]|<embed[\s>\/]/i';

	/**
	 * Validates image bytes.
	 *
	 * @param string $bytes The whole file.
	 * @return Image|WP_Error
	 */
	public function validate_bytes( string $bytes ) {
		$length    = strlen( $bytes );
		$max_bytes = $this->max_bytes();
		if ( 0 === $length ) {
			return $this->unsupported( 'empty file' );
		}
		if ( $length > $max_bytes ) {
			return $this->too_large( sprintf( '%d bytes, the limit is %d', $length, $max_bytes ) );
		}

		$structure = self::structure( $bytes );
		if ( '' === $structure['mime'] ) {
			return $this->unsupported( $structure['error'] );
		}
		// The pixel cap comes first: a header that claims a huge canvas is refused as such
		// even if the rest of the file is missing.
		$pixels     = $structure['width'] * $structure['height'];
		$max_pixels = (int) $this->settings->get( 'image_max_pixels' );
		if ( $pixels > $max_pixels ) {
			return $this->too_large( sprintf( '%dx%d pixels, the limit is %d pixels', $structure['width'], $structure['height'], $max_pixels ) );
		}
		if ( '' !== $structure['error'] ) {
			return $this->unsupported( $structure['error'] );
		}
		if ( $structure['animated'] ) {
			return $this->unsupported( 'animated image' );
		}
		if ( $structure['width'] < 1 || $structure['height'] < 1 ) {
			return $this->unsupported( 'no dimensions' );
		}

		$hidden = self::hidden_code( $bytes, $structure['compressed'] );
		if ( '' !== $hidden ) {
			return $this->unsupported( 'contains ' . $hidden );
		}

		// PHP's own sniffers must agree with ours.
		if ( class_exists( 'finfo' ) ) {
			$finfo = ( new \finfo( FILEINFO_MIME_TYPE ) )->buffer( $bytes );
			if ( $finfo !== $structure['mime'] ) {
				return $this->unsupported( sprintf( 'finfo says %s, the structure says %s', (string) $finfo, $structure['mime'] ) );
			}
		}
		$size = getimagesizefromstring( $bytes );
		if ( false === $size || $size['mime'] !== $structure['mime'] || $size[0] !== $structure['width'] || $size[1] !== $structure['height'] ) {
			return $this->unsupported( 'getimagesize disagrees with the structure' );
		}

		return array(
			'data_url' => 'data:' . $structure['mime'] . ';base64,' . base64_encode( $bytes ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- a data URL is base64 by definition.
			'mime'     => $structure['mime'],
			'width'    => $structure['width'],
			'height'   => $structure['height'],
			'bytes'    => $length,
		);
	}

	/**
	 * Walks the file structure of a JPEG, PNG, WebP or GIF.
	 *
	 * `mime` is '' when the bytes are none of these; `error` is '' when the structure is complete
	 * and sound. Dimensions are filled in as soon as the header gives them, before any error.
	 *
	 * @param string $bytes The whole file.
	 * @return array
	 * @phpstan-return Structure
	 */
	public static function structure( string $bytes ): array {
		$info = array(
			'mime'       => '',
			'width'      => 0,
			'height'     => 0,
			'frames'     => 0,
			'animated'   => false,
			'error'      => '',
			'compressed' => array(),
		);
		if ( str_starts_with( $bytes, "\x89PNG\r\n\x1a\n" ) ) {
			$info['mime'] = 'image/png';
			return self::walk_png( $bytes, $info );
		}
		if ( str_starts_with( $bytes, "\xFF\xD8\xFF" ) ) {
			$info['mime'] = 'image/jpeg';
			return self::walk_jpeg( $bytes, $info );
		}
		if ( str_starts_with( $bytes, 'GIF87a' ) || str_starts_with( $bytes, 'GIF89a' ) ) {
			$info['mime'] = 'image/gif';
			return self::walk_gif( $bytes, $info );
		}
		if ( strlen( $bytes ) >= 12 && str_starts_with( $bytes, 'RIFF' ) && 'WEBP' === substr( $bytes, 8, 4 ) ) {
			$info['mime'] = 'image/webp';
			return self::walk_webp( $bytes, $info );
		}
		$info['error'] = 'not a JPEG, PNG, WebP or GIF file';
		return $info;
	}

	/**
	 * Finds PHP or markup hidden in the bytes; '' when there is none.
	 *
	 * `<?=` (PHP's short echo) is only three bytes, so compressed pixel data contains it by
	 * chance: 14 of 150 busy 1024x768 JPEGs (590 KB each) did. Inside compressed data it
	 * therefore counts only when a `?>` or `__halt_compiler` follows within 256 bytes, which PHP
	 * needs to run anything from a binary file (the known "PHP in IDAT" payloads are ~30 bytes);
	 * anywhere else (metadata, comments, trailing bytes) it is refused outright.
	 *
	 * @param string                      $bytes      The whole file.
	 * @param list<array{0: int, 1: int}> $compressed Byte ranges [start, end) of compressed pixel data.
	 */
	public static function hidden_code( string $bytes, array $compressed = array() ): string {
		if ( preg_match( self::FORBIDDEN, $bytes, $match ) ) {
			return 'markup or PHP (' . strtolower( rtrim( $match[0] ) ) . ')';
		}
		$at = strpos( $bytes, '<?=' );
		for ( ; false !== $at; $at = strpos( $bytes, '<?=', $at + 3 ) ) {
			$inside = false;
			foreach ( $compressed as $range ) {
				if ( $at >= $range[0] && $at < $range[1] ) {
					$inside = true;
					break;
				}
			}
			$window = substr( $bytes, $at + 3, 256 );
			if ( ! $inside || str_contains( $window, '?>' ) || false !== stripos( $window, '__halt_compiler' ) ) {
				return 'PHP (<?=)';
			}
		}
		return '';
	}

	/**
	 * PNG: chunks with valid CRCs from IHDR to IEND, nothing after; APNG (acTL) is animated.
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info Result so far.
	 * @phpstan-param Structure $info
	 * @return array
	 * @phpstan-return Structure
	 */
	private static function walk_png( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		$pos    = 8;
		$first  = true;
		while ( true ) {
			if ( $pos + 12 > $length ) {
				$info['error'] = 'truncated PNG (no IEND chunk)';
				return $info;
			}
			$size = self::u32be( $bytes, $pos );
			$type = substr( $bytes, $pos + 4, 4 );
			if ( ! preg_match( '/^[A-Za-z]{4}$/', $type ) ) {
				$info['error'] = 'corrupt PNG chunk type';
				return $info;
			}
			if ( $size > $length - $pos - 12 ) {
				$info['error'] = 'truncated PNG chunk ' . $type;
				return $info;
			}
			$data = substr( $bytes, $pos + 8, $size );
			if ( $first ) {
				if ( 'IHDR' !== $type || 13 !== $size ) {
					$info['error'] = 'PNG does not start with IHDR';
					return $info;
				}
				$info['width']  = self::u32be( $data, 0 );
				$info['height'] = self::u32be( $data, 4 );
				$first          = false;
			}
			if ( self::u32be( $bytes, $pos + 8 + $size ) !== crc32( $type . $data ) ) {
				$info['error'] = 'corrupt PNG chunk ' . $type . ' (CRC)';
				return $info;
			}
			if ( 'acTL' === $type || 'fcTL' === $type || 'fdAT' === $type ) {
				$info['animated'] = true;
			}
			if ( 'IDAT' === $type ) {
				$info['frames']       = 1;
				$info['compressed'][] = array( $pos + 8, $pos + 8 + $size );
			}
			$pos += 12 + $size;
			if ( 'IEND' === $type ) {
				break;
			}
		}
		if ( 0 === $info['frames'] ) {
			$info['error'] = 'PNG without image data';
		} elseif ( $pos < $length ) {
			$info['error'] = sprintf( '%d bytes after the PNG end (IEND)', $length - $pos );
		}
		return $info;
	}

	/**
	 * JPEG: marker segments from SOI to EOI, with a frame header and at least one scan, nothing
	 * after EOI (a file that does not end in FFD9 is truncated or carries something else).
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info Result so far.
	 * @phpstan-param Structure $info
	 * @return array
	 * @phpstan-return Structure
	 */
	private static function walk_jpeg( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		$pos    = 2;
		$scans  = 0;
		while ( true ) {
			if ( $pos >= $length ) {
				$info['error'] = 'truncated JPEG (no end marker FFD9)';
				return $info;
			}
			if ( "\xFF" !== $bytes[ $pos ] ) {
				$info['error'] = 'corrupt JPEG (data between segments)';
				return $info;
			}
			while ( $pos < $length && "\xFF" === $bytes[ $pos ] ) {
				++$pos; // Fill bytes before a marker.
			}
			if ( $pos >= $length ) {
				$info['error'] = 'truncated JPEG (no end marker FFD9)';
				return $info;
			}
			$marker = ord( $bytes[ $pos ] );
			++$pos;
			if ( 0xD9 === $marker ) {
				break;
			}
			if ( 0x01 === $marker || ( $marker >= 0xD0 && $marker <= 0xD7 ) ) {
				continue; // Markers without a length.
			}
			if ( 0xD8 === $marker || 0x00 === $marker ) {
				$info['error'] = 'corrupt JPEG (unexpected marker)';
				return $info;
			}
			if ( $pos + 2 > $length ) {
				$info['error'] = 'truncated JPEG segment';
				return $info;
			}
			$size = self::u16be( $bytes, $pos );
			if ( $size < 2 || $pos + $size > $length ) {
				$info['error'] = 'truncated JPEG segment';
				return $info;
			}
			$is_frame = $marker >= 0xC0 && $marker <= 0xCF && ! in_array( $marker, array( 0xC4, 0xC8, 0xCC ), true );
			if ( $is_frame && 0 === $info['width'] && $size >= 7 ) {
				$info['height'] = self::u16be( $bytes, $pos + 3 );
				$info['width']  = self::u16be( $bytes, $pos + 5 );
			}
			$pos += $size;
			if ( 0xDA !== $marker ) {
				continue;
			}
			// Entropy-coded data runs to the next marker that is neither stuffing (FF00) nor a restart.
			++$scans;
			$start = $pos;
			while ( true ) {
				$ff = strpos( $bytes, "\xFF", $pos );
				if ( false === $ff || $ff + 1 >= $length ) {
					$info['compressed'][] = array( $start, $length );
					$info['error']        = 'truncated JPEG (no end marker FFD9)';
					return $info;
				}
				$next = ord( $bytes[ $ff + 1 ] );
				if ( 0x00 === $next || 0xFF === $next || ( $next >= 0xD0 && $next <= 0xD7 ) ) {
					$pos = 0xFF === $next ? $ff + 1 : $ff + 2;
					continue;
				}
				$info['compressed'][] = array( $start, $ff );
				$pos                  = $ff;
				break;
			}
		}
		if ( 0 === $info['width'] || 0 === $scans ) {
			$info['error'] = 'JPEG without a frame or scan';
		} elseif ( $pos < $length ) {
			$info['error'] = sprintf( '%d bytes after the JPEG end (FFD9)', $length - $pos );
		}
		$info['frames'] = 1;
		return $info;
	}

	/**
	 * GIF: blocks up to the trailer, nothing after; more than one image is an animation.
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info Result so far.
	 * @phpstan-param Structure $info
	 * @return array
	 * @phpstan-return Structure
	 */
	private static function walk_gif( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		if ( $length < 13 ) {
			$info['error'] = 'truncated GIF header';
			return $info;
		}
		$info['width']  = self::u16le( $bytes, 6 );
		$info['height'] = self::u16le( $bytes, 8 );
		$flags          = ord( $bytes[10] );
		$pos            = 13 + ( ( $flags & 0x80 ) ? 3 * ( 2 << ( $flags & 7 ) ) : 0 );
		while ( true ) {
			if ( $pos >= $length ) {
				$info['error'] = 'truncated GIF (no trailer)';
				return $info;
			}
			$block = ord( $bytes[ $pos ] );
			if ( 0x3B === $block ) {
				++$pos;
				break;
			}
			if ( 0x21 === $block ) {
				$end = self::skip_sub_blocks( $bytes, $pos + 2 );
			} elseif ( 0x2C === $block ) {
				if ( $pos + 10 > $length ) {
					$info['error'] = 'truncated GIF image';
					return $info;
				}
				++$info['frames'];
				// A frame larger than the canvas would make the canvas size a lie.
				if ( self::u16le( $bytes, $pos + 1 ) + self::u16le( $bytes, $pos + 5 ) > $info['width'] || self::u16le( $bytes, $pos + 3 ) + self::u16le( $bytes, $pos + 7 ) > $info['height'] ) {
					$info['error'] = 'GIF frame outside the canvas';
					return $info;
				}
				$local = ord( $bytes[ $pos + 9 ] );
				$data  = $pos + 10 + ( ( $local & 0x80 ) ? 3 * ( 2 << ( $local & 7 ) ) : 0 ) + 1;
				$end   = self::skip_sub_blocks( $bytes, $data );
				if ( null !== $end ) {
					$info['compressed'][] = array( $data, $end );
				}
			} else {
				$info['error'] = 'corrupt GIF block';
				return $info;
			}
			if ( null === $end ) {
				$info['error'] = 'truncated GIF (no trailer)';
				return $info;
			}
			$pos = $end;
		}
		$info['animated'] = $info['frames'] > 1;
		if ( 0 === $info['frames'] ) {
			$info['error'] = 'GIF without an image';
		} elseif ( $pos < $length ) {
			$info['error'] = sprintf( '%d bytes after the GIF trailer', $length - $pos );
		}
		return $info;
	}

	/**
	 * WebP: a RIFF container whose size matches the file, with VP8, VP8L or VP8X first; ANIM or
	 * ANMF chunks (or the VP8X animation flag) mean an animation.
	 *
	 * @param string $bytes The whole file.
	 * @param array  $info Result so far.
	 * @phpstan-param Structure $info
	 * @return array
	 * @phpstan-return Structure
	 */
	private static function walk_webp( string $bytes, array $info ): array {
		$length = strlen( $bytes );
		$total  = self::u32le( $bytes, 4 ) + 8;
		$end    = min( $total, $length );
		$pos    = 12;
		$first  = true;
		while ( $pos + 8 <= $end ) {
			$fourcc = substr( $bytes, $pos, 4 );
			$size   = self::u32le( $bytes, $pos + 4 );
			$data   = $pos + 8;
			if ( $size > $end - $data ) {
				$info['error'] = 'truncated WebP chunk ' . trim( $fourcc );
				return $info;
			}
			if ( $first && ! in_array( $fourcc, array( 'VP8 ', 'VP8L', 'VP8X' ), true ) ) {
				$info['error'] = 'WebP does not start with an image chunk';
				return $info;
			}
			if ( 'VP8X' === $fourcc && $size >= 10 ) {
				$info['animated'] = $info['animated'] || (bool) ( ord( $bytes[ $data ] ) & 0x02 );
				$info['width']    = 1 + self::u24le( $bytes, $data + 4 );
				$info['height']   = 1 + self::u24le( $bytes, $data + 7 );
			} elseif ( 'VP8 ' === $fourcc && $size >= 10 ) {
				if ( "\x9D\x01\x2A" !== substr( $bytes, $data + 3, 3 ) ) {
					$info['error'] = 'corrupt WebP (VP8 start code)';
					return $info;
				}
				if ( 0 === $info['width'] ) {
					$info['width']  = self::u16le( $bytes, $data + 6 ) & 0x3FFF;
					$info['height'] = self::u16le( $bytes, $data + 8 ) & 0x3FFF;
				}
				++$info['frames'];
				$info['compressed'][] = array( $data, $data + $size );
			} elseif ( 'VP8L' === $fourcc && $size >= 5 ) {
				if ( "\x2F" !== $bytes[ $data ] ) {
					$info['error'] = 'corrupt WebP (VP8L signature)';
					return $info;
				}
				if ( 0 === $info['width'] ) {
					$bits           = self::u32le( $bytes, $data + 1 );
					$info['width']  = ( $bits & 0x3FFF ) + 1;
					$info['height'] = ( ( $bits >> 14 ) & 0x3FFF ) + 1;
				}
				++$info['frames'];
				$info['compressed'][] = array( $data, $data + $size );
			} elseif ( 'ALPH' === $fourcc ) {
				$info['compressed'][] = array( $data, $data + $size );
			} elseif ( 'ANIM' === $fourcc || 'ANMF' === $fourcc ) {
				$info['animated'] = true;
			}
			$first = false;
			$pos   = $data + $size + ( $size & 1 );
		}
		if ( $total > $length || $pos < $end ) {
			$info['error'] = 'truncated WebP';
		} elseif ( $total < $length ) {
			$info['error'] = sprintf( '%d bytes after the WebP container', $length - $total );
		} elseif ( 0 === $info['frames'] && ! $info['animated'] ) {
			$info['error'] = 'WebP without image data';
		}
		return $info;
	}

	/**
	 * Skips GIF data sub-blocks (length byte, data) up to the zero-length terminator.
	 *
	 * @param string $bytes The whole file.
	 * @param int    $pos   Offset of the first length byte.
	 * @return int|null Offset after the terminator, or null when the file ends first.
	 */
	private static function skip_sub_blocks( string $bytes, int $pos ): ?int {
		$length = strlen( $bytes );
		while ( $pos < $length ) {
			$size = ord( $bytes[ $pos ] );
			++$pos;
			if ( 0 === $size ) {
				return $pos;
			}
			$pos += $size;
		}
		return null;
	}

	/**
	 * Unsigned 32-bit big-endian integer at an offset (0 past the end).
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	private static function u32be( string $bytes, int $offset ): int {
		$value = unpack( 'N', (string) substr( $bytes, $offset, 4 ) . "\0\0\0\0" );
		return is_array( $value ) ? (int) $value[1] : 0;
	}

	/**
	 * Unsigned 32-bit little-endian integer at an offset.
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	private static function u32le( string $bytes, int $offset ): int {
		$value = unpack( 'V', (string) substr( $bytes, $offset, 4 ) . "\0\0\0\0" );
		return is_array( $value ) ? (int) $value[1] : 0;
	}

	/**
	 * Unsigned 24-bit little-endian integer at an offset.
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	private static function u24le( string $bytes, int $offset ): int {
		$value = unpack( 'V', (string) substr( $bytes, $offset, 3 ) . "\0\0\0\0" );
		return is_array( $value ) ? (int) $value[1] & 0xFFFFFF : 0;
	}

	/**
	 * Unsigned 16-bit big-endian integer at an offset.
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	private static function u16be( string $bytes, int $offset ): int {
		$value = unpack( 'n', (string) substr( $bytes, $offset, 2 ) . "\0\0" );
		return is_array( $value ) ? (int) $value[1] : 0;
	}

	/**
	 * Unsigned 16-bit little-endian integer at an offset.
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	private static function u16le( string $bytes, int $offset ): int {
		$value = unpack( 'v', (string) substr( $bytes, $offset, 2 ) . "\0\0" );
		return is_array( $value ) ? (int) $value[1] : 0;
	}

	/**
	 * Largest upload accepted, in bytes.
	 */
	protected function max_bytes(): int {
		return max( 1, (int) $this->settings->get( 'image_max_bytes' ) );
	}

	/**
	 * What the visitor reads for each refusal.
	 *
	 * @return array{code_prefix: string, unsupported: string, too_large: string, incomplete: string, not_a_file: string}
	 */
	protected function messages(): array {
		return array(
			'code_prefix' => 'vvc_image',
			'unsupported' => __( 'This file is not a photo the assistant can look at. Please send a JPEG, PNG, WebP or still GIF image.', 'voice-vision-chat' ),
			'too_large'   => __( 'This image is too large. Please send a smaller photo.', 'voice-vision-chat' ),
			'incomplete'  => __( 'The image did not arrive completely. Please try again.', 'voice-vision-chat' ),
			'not_a_file'  => __( 'The image must be sent as a file upload.', 'voice-vision-chat' ),
		);
	}
}
