'use strict';
// Start-to-exit probe: load express and leave.
require('express');
