export default /* glsl */ `
#ifdef A_CHUNK
	gl_FragColor = vec4( 1.0 );
#endif
`;
