/**
 * A visitor without a microphone: Chromium here has no fake capture device and the machine
 * has no sound card, so the permission is granted but there is nothing to record from.
 * In Firefox (project `firefox`) neither its fake device nor its test audio backend is on.
 */
import { expect } from '@playwright/test';

import { microphoneTest, recordingRefused } from './support/voice-flow';

const test = microphoneTest( () => ( { wav: null, prompt: true } ) );

test( 'a missing microphone is explained, and the visitor can type instead', async ( {
	visitor,
} ) => {
	const { sent } = await recordingRefused(
		visitor,
		'No microphone was found. Connect one and try again, or type your question.'
	);
	expect( sent ).toEqual( [] );
} );
