<?php
/**
 * Curated entries: validation, matching by normalized variants, index, version bumps.
 *
 * @package VoiceVisionChat\Tests
 */

namespace VoiceVisionChat\Tests\Cache;

use VoiceVisionChat\Cache\Cache_Version;
use VoiceVisionChat\Cache\Curated_Faq_Store;
use VoiceVisionChat\Cache\Question_Normalizer;
use VoiceVisionChat\Tests\Support\TestCase;

/**
 * Curated_Faq_Store.
 */
final class CuratedFaqStoreTest extends TestCase {

	private function store(): Curated_Faq_Store {
		return new Curated_Faq_Store( new Question_Normalizer(), new Cache_Version() );
	}

	public function test_create_match_update_delete(): void {
		$store   = $this->store();
		$version = ( new Cache_Version() )->get();
		$entry   = $store->create( array( 'What is your return policy?', '退货政策是什么' ), "Returns within **30 days**.\r\n" );
		$this->assertIsArray( $entry );
		$this->assertTrue( wp_is_uuid( $entry['id'] ) );
		$this->assertSame( 'Returns within **30 days**.', $entry['answer'] );
		$this->assertGreaterThan( $version, ( new Cache_Version() )->get(), 'a change starts a new cache generation' );

		$normalizer = new Question_Normalizer();
		$this->assertSame( $entry['id'], $store->match( $normalizer->normalize( "Hi, what's your return policy please" ) )['id'] ?? null );
		$this->assertSame( $entry['id'], $store->match( $normalizer->normalize( '请问退货政策是什么？' ) )['id'] ?? null );
		$this->assertNull( $store->match( $normalizer->normalize( 'return policy for opened items' ) ) );

		$updated = $store->update( $entry['id'], array( 'Can I return opened items?' ), 'Within 14 days.' );
		$this->assertIsArray( $updated );
		$this->assertNull( $store->match( $normalizer->normalize( 'What is your return policy?' ) ), 'old variants leave the index' );
		$this->assertSame( 'Within 14 days.', $store->match( $normalizer->normalize( 'can I return opened items' ) )['answer'] ?? null );

		$this->assertIsArray( $store->delete( $entry['id'] ) );
		$this->assertNull( $store->match( $normalizer->normalize( 'can I return opened items' ) ) );
		$this->assertSame( 'vvc_faq_not_found', $store->delete( $entry['id'] )->get_error_code() );
	}

	public function test_validation(): void {
		$store = $this->store();
		$this->assertSame( 'vvc_faq_invalid', $this->code( $store->create( array(), 'x' ) ) );
		$this->assertSame( 'vvc_faq_invalid', $this->code( $store->create( array( 'Opening hours?' ), "  \n " ) ) );
		$this->assertSame( 'vvc_faq_invalid', $this->code( $store->create( array( 'Hello! Thanks!' ), 'x' ) ), 'politeness only' );
		$this->assertSame( 'vvc_faq_invalid', $this->code( $store->create( array_map( static fn ( int $i ): string => "question $i", range( 1, 21 ) ), 'x' ) ) );

		$first = $store->create( array( 'Opening hours?' ), 'Nine to five.' );
		$this->assertIsArray( $first );
		$duplicate = $store->create( array( 'Hi! Opening hours, please' ), 'Other answer.' );
		$this->assertSame( 'vvc_faq_duplicate', $this->code( $duplicate ) );
		$this->assertSame( $first['id'], $duplicate->get_error_data()['entry_id'] ?? null );

		$clean = $store->create( array( ' <b>Parking?</b> ', 'Parking?' ), "Yes.\x07" );
		$this->assertIsArray( $clean );
		$this->assertSame( array( 'Parking?' ), $clean['questions'] );
		$this->assertSame( 'Yes.', $clean['answer'] );
	}

	public function test_option_is_not_autoloaded_and_index_rebuilt_for_other_rules(): void {
		$store = $this->store();
		$entry = $store->create( array( 'Opening hours?' ), 'Nine to five.' );
		$this->assertIsArray( $entry );
		$this->assertArrayNotHasKey( Curated_Faq_Store::OPTION, wp_load_alloptions() );

		// An index written by other normalization rules is not trusted.
		$stored          = get_option( Curated_Faq_Store::OPTION );
		$stored['rules'] = 'old';
		$stored['index'] = array();
		update_option( Curated_Faq_Store::OPTION, $stored, false );
		$this->assertSame( $entry['id'], $this->store()->match( ( new Question_Normalizer() )->normalize( 'opening hours' ) )['id'] ?? null );
	}

	/**
	 * Error code of a result.
	 *
	 * @param mixed $result Result.
	 */
	private function code( $result ): string {
		$this->assertInstanceOf( \WP_Error::class, $result );
		return (string) $result->get_error_code();
	}
}
